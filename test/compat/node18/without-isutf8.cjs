// Preloaded (`node --require`) to run as Node 18.0–18.13 would: they have no `buffer.isUtf8`.
delete require('node:buffer').isUtf8;
