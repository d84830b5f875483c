// Express 4 is installed under another name; its API is typed like Express 5's.
declare module 'express4' {
  import express = require('express');
  export = express;
}
