import http from 'node:http'
import express from 'express'
import { BackgroundTask, get, routes } from '../../index'
import { routeCount } from './app-size'
import { body, listen, noop } from './listen'

// The same routes, combined by routes(...) into one router.
const app = express()
const routers = []
for (let index = 0; index < routeCount; index++) {
  routers.push(get(`/r${index}`, new BackgroundTask(noop), () => body))
}
app.use(routes(...routers))
listen(http.createServer(app))
