//! Search indexes, rebuilt on a background thread.
//!
//! Rebuilding a version's index reads every document of that version (a few hundred ms
//! for 2,000 articles), and a body edit touches the index of every version that shows
//! the article. That work runs on one worker thread, one job at a time, so an edit that
//! arrives meanwhile is rendered and served at once instead of waiting. The builder owns
//! all state: a job carries copies of what it needs and its result is applied (or
//! dropped, when the model moved on) by the builder.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use crate::engine::record::Staged;
use crate::engine::{self, pages};
use crate::index::{PreparedDoc, SearchDoc, Vocab};
use crate::model::{BodyId, VersionId};

/// Work for the search thread.
pub enum Job {
    /// Prepare documents: (body index, stamp of that body, document without sections,
    /// body HTML).
    Prepare(Vec<(BodyId, u64, SearchDoc, String)>),
    /// Write the index of one version into `stage`, from its documents in reading order.
    Build { vid: VersionId, epoch: u64, vpath: String, stage: PathBuf, docs: Vec<Arc<PreparedDoc>> },
}

/// What a [`Job`] produced.
pub enum Done {
    /// (body index, stamp it was made for, document).
    Prepared(Vec<(BodyId, u64, PreparedDoc)>),
    Built {
        vid: VersionId,
        epoch: u64,
        stage: PathBuf,
        result: Result<Staged, String>,
    },
}

/// The search thread and its queues; at most one job is in flight.
pub struct Worker {
    /// The terms of every document prepared so far: the worker thread's, and the
    /// caller's should it run jobs itself.
    vocab: Arc<Mutex<Vocab>>,
    tx: Option<Sender<Job>>,
    rx: Option<Receiver<Done>>,
    /// Results of jobs run on the calling thread (when no thread could be started).
    local: VecDeque<Done>,
    busy: bool,
}

impl Worker {
    /// Starts the thread (without one, jobs run when sent).
    pub fn start() -> Worker {
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let vocab: Arc<Mutex<Vocab>> = Arc::default();
        let theirs = Arc::clone(&vocab);
        let spawned = std::thread::Builder::new().name("folio-search".into()).spawn(move || {
            for job in job_rx {
                if done_tx.send(run(job, &theirs)).is_err() {
                    break;
                }
            }
        });
        match spawned {
            Ok(_) => Worker { vocab, tx: Some(job_tx), rx: Some(done_rx), local: VecDeque::new(), busy: false },
            Err(_) => Worker { vocab, tx: None, rx: None, local: VecDeque::new(), busy: false },
        }
    }

    /// Whether a job is in flight.
    pub fn busy(&self) -> bool {
        self.busy
    }

    /// Hands over a job (runs it here when there is no thread).
    pub fn send(&mut self, job: Job) {
        self.busy = true;
        match &self.tx {
            Some(tx) => {
                if let Err(mpsc::SendError(job)) = tx.send(job) {
                    // The thread is gone: do the work here.
                    self.local.push_back(run(job, &self.vocab));
                }
            }
            None => self.local.push_back(run(job, &self.vocab)),
        }
    }

    /// The finished job, if any (does not block).
    pub fn try_done(&mut self) -> Option<Done> {
        let done = self.local.pop_front().or_else(|| self.rx.as_ref().and_then(|rx| rx.try_recv().ok()));
        if done.is_some() {
            self.busy = false;
        }
        done
    }
}

fn run(job: Job, vocab: &Mutex<Vocab>) -> Done {
    let mut vocab = vocab.lock().unwrap_or_else(|e| e.into_inner());
    match job {
        Job::Prepare(items) => {
            let prepared: Vec<(BodyId, u64, PreparedDoc)> = items
                .into_iter()
                .map(|(bi, stamp, doc, html)| {
                    let mut p = engine::search::prepare_search_doc(doc, &html);
                    vocab.intern(&mut p);
                    (bi, stamp, p)
                })
                .collect();
            vocab.seal();
            Done::Prepared(prepared)
        }
        Job::Build { vid, epoch, vpath, stage, docs } => {
            let refs: Vec<&PreparedDoc> = docs.iter().map(|d| d.as_ref()).collect();
            let result = std::fs::create_dir_all(&stage)
                .map_err(|e| format!("{}: {e}", stage.display()))
                .and_then(|_| pages::search_index(&stage, &vpath, &refs, &vocab).map_err(|e| e.to_string()));
            Done::Built { vid, epoch, stage, result }
        }
    }
}
