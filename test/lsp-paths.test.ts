import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Folder, PathMap } from '../server/src/lsp/paths';

function folder(fsPath: string, name: string): Folder {
  return { uri: pathToFileURL(fsPath).href, fsPath, name };
}

const root = join('/', 'work', 'repo');

describe('path map', function () {
  it('gives files in the only folder their relative path with forward slashes', function () {
    const paths = new PathMap([folder(root, 'repo')]);
    const uri = pathToFileURL(join(root, 'migrations', 'V1__init.sql')).href;

    assert.equal(paths.toPath(uri), 'migrations/V1__init.sql');
    assert.equal(paths.toUri('migrations/V1__init.sql'), uri);
    assert.equal(
      paths.toFsPath('migrations/V1__init.sql'),
      join(root, 'migrations', 'V1__init.sql'),
    );
  });

  it('puts the folder name first when there are several folders', function () {
    const other = join('/', 'work', 'other');
    const paths = new PathMap([folder(root, 'repo'), folder(other, 'other')]);

    assert.equal(paths.fromFsPath(join(other, 'V2__x.sql')), 'other/V2__x.sql');
    assert.equal(paths.toFsPath('other/V2__x.sql'), join(other, 'V2__x.sql'));
  });

  it('prefers the innermost of nested folders', function () {
    const inner = join(root, 'db');
    const paths = new PathMap([folder(root, 'repo'), folder(inner, 'db')]);

    assert.equal(paths.fromFsPath(join(inner, 'V1__x.sql')), 'db/V1__x.sql');
  });

  it('keeps the file system path of files outside every folder and the URI of other documents', function () {
    const paths = new PathMap([folder(root, 'repo')]);
    const outside = join('/', 'tmp', 'scratch.sql');

    assert.equal(paths.toPath(pathToFileURL(outside).href), outside);
    assert.equal(paths.toPath('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(paths.toUri('untitled:Untitled-1'), 'untitled:Untitled-1');
    assert.equal(paths.toFsPath('untitled:Untitled-1'), undefined);
  });

  it('answers with the URI spelling the client used', function () {
    const paths = new PathMap([folder(root, 'repo')]);
    const spelled = 'file:///work/repo/a%20b.sql';

    assert.equal(paths.toPath(spelled), 'a b.sql');
    assert.equal(paths.toUri('a b.sql'), spelled);
  });

  it('does not take a sibling folder with a longer name for a subfolder', function () {
    const paths = new PathMap([folder(root, 'repo')]);
    const sibling = join('/', 'work', 'repo-old', 'V1__x.sql');

    assert.equal(paths.fromFsPath(sibling), sibling);
  });
});
