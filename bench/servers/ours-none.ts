import http from 'node:http'
import express from 'express'
import { get } from '../../index'
import { body, listen } from './listen'

const app = express()
app.use(get('/', () => body))
listen(http.createServer(app))
