window.__folioNavData=[
["start","Widget Manual",0],
["setup","Setup",1],
["connector","Connector",1],
["legacy","Legacy Tools",1]];
