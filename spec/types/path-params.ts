// Type tests: `npm test` compiles this file; a wrong type fails the build.
import { get, post, type PathParams } from '../../index';
import { type Equal, expectTrue } from './equal';

expectTrue<Equal<PathParams<'/users/:id'>, { id: string }>>();
expectTrue<
  Equal<
    PathParams<'/users/:userId/posts/:postId'>,
    { userId: string; postId: string }
  >
>();
expectTrue<Equal<PathParams<'/health'>, {}>>();
expectTrue<Equal<PathParams<'/files{/:name}'>, { name?: string }>>();
expectTrue<Equal<PathParams<'/files/*path'>, { path: string[] }>>();
expectTrue<Equal<PathParams<'/books/:id?'>, { id?: string }>>();
expectTrue<Equal<PathParams<'/flights/:from-:to'>, { from: string; to: string }>>();
expectTrue<Equal<PathParams<'/v:major.:minor'>, { major: string; minor: string }>>();
expectTrue<Equal<PathParams<string>, Record<string, string>>>();
expectTrue<Equal<PathParams<RegExp>, Record<string, string>>>();

get('/users/:id', (req) => {
  const id: string = req.params.id;
  // @ts-expect-error: the path has no `name` parameter
  req.params.name;
  return id;
});

post('/teams/:team/members/:member', { status: 202 }, (req) => {
  expectTrue<Equal<typeof req.params, { team: string; member: string }>>();
});

get('/files{/:name}', (req) => {
  // @ts-expect-error: an optional parameter may be missing
  const name: string = req.params.name;
  return name;
});
