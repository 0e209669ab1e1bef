#!/usr/bin/env node
// The installed `plinth` command. The TypeScript build writes dist/; this file exists before
// the first build so that npm can link the command at install time.
import '../dist/bin.js';
