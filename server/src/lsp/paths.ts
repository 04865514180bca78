import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A workspace folder as the server keeps it. */
export interface Folder {
  readonly uri: string;
  readonly name: string;
  readonly fsPath: string;
}

/**
 * Translates between editor URIs and the paths the engine sees. A file inside a workspace folder
 * gets its folder-relative path with forward slashes, so findings, migration order and the CLI
 * agree; with several folders the folder's name goes first, as VS Code shows such paths. Files
 * outside every folder keep their file system path, and documents that are not files (untitled
 * buffers) keep their URI.
 */
export class PathMap {
  /** URIs the client sent, by engine path, so that answers use the client's exact spelling. */
  private readonly known = new Map<string, string>();

  constructor(readonly folders: readonly Folder[]) {}

  /** The engine path of a URI; remembers the URI so that `toUri` gives it back unchanged. */
  toPath(uri: string): string {
    const path = this.pathOf(uri);
    this.known.set(path, uri);

    return path;
  }

  /** The engine path of a file on disk. */
  fromFsPath(fsPath: string): string {
    const folder = this.folderOf(fsPath);
    if (!folder) return fsPath;
    const inner = relative(folder.fsPath, fsPath).split(sep).join('/');

    return this.folders.length > 1 ? `${folder.name}/${inner}` : inner;
  }

  isInsideFolder(fsPath: string): boolean {
    return this.folderOf(fsPath) !== undefined;
  }

  toUri(path: string): string {
    const known = this.known.get(path);
    if (known) return known;
    const fsPath = this.toFsPath(path);

    return fsPath ? pathToFileURL(fsPath).href : path;
  }

  /** The file system path behind an engine path, or undefined for documents that are not files. */
  toFsPath(path: string): string | undefined {
    const known = this.known.get(path);
    if (known) return fileSystemPath(known);
    if (isAbsolute(path)) return path;
    if (hasScheme(path)) return undefined;
    if (this.folders.length === 1) return join(this.folders[0].fsPath, path);
    const slash = path.indexOf('/');
    const folder = this.folders.find((candidate) => candidate.name === path.slice(0, slash));

    return folder ? join(folder.fsPath, path.slice(slash + 1)) : undefined;
  }

  private pathOf(uri: string): string {
    const fsPath = fileSystemPath(uri);

    return fsPath ? this.fromFsPath(fsPath) : uri;
  }

  /** The innermost folder holding the file, for nested workspace folders. */
  private folderOf(fsPath: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.folders) {
      const inner = relative(folder.fsPath, fsPath);
      const outside = inner === '..' || inner.startsWith(`..${sep}`) || isAbsolute(inner);
      const inside = inner !== '' && !outside;
      if (inside && (!best || folder.fsPath.length > best.fsPath.length)) best = folder;
    }

    return best;
  }
}

/** The file system path of a `file:` URI, or undefined for any other scheme. */
export function fileSystemPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function folderFromUri(uri: string, name?: string): Folder | undefined {
  const fsPath = fileSystemPath(uri);
  if (!fsPath) return undefined;

  return { uri, fsPath, name: name ?? fsPath.split(sep).filter(Boolean).pop() ?? fsPath };
}

/** True for `untitled:x` or `file:///x`, false for `C:\x` (a drive letter is one character). */
function hasScheme(path: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(path);
}
