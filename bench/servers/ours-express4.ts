import http from 'node:http'
import express from 'express4'
import { BackgroundTask, get } from '../../index'
import { body, listen, noop } from './listen'

const app = express()
app.use(get('/', new BackgroundTask(noop), () => body))
listen(http.createServer(app))
