//! Each version's print page (`print.html`; see [`crate::render::print`]): written with
//! the version's other pages by a build, and again by `folio serve` when an edit changes
//! an article's text ([`super::pages::print`]).

use super::record::{render_to, Written};
use crate::error::Error;
use crate::render::page::VersionCx;
use crate::render::{RenderedBody, Theme};
use crate::write::Sink;

/// Renders the print page of `cx`'s version into `o`, noting the file and the files its
/// links point at in `w`; nothing with `print: false` in manual.yaml.
pub(super) fn write(
    o: &Sink,
    theme: &Theme,
    cx: &VersionCx,
    bodies: &[Option<RenderedBody>],
    w: &mut Written,
) -> Result<(), Error> {
    if !cx.site.config.print {
        return Ok(());
    }
    let file = &cx.site.own.print;
    let (ctx, targets) = cx.print(file, bodies);
    render_to(o, theme, "print.html", &ctx, &format!("{}/{file}", cx.view().version.path), w)?;
    w.targets.extend(targets);
    Ok(())
}
