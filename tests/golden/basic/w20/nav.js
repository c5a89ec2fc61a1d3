window.__folioNavData=[
["start","Widget Manual",0],
["setup","Installing the Widget",1],
["connector","Connector",1],
["cloud","Cloud Sync",2]];
