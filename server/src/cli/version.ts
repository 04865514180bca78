// esbuild inlines only the `version` field of package.json into the bundle.
import { version } from '../../../package.json';

export const SNOWGOV_VERSION: string = version;

export const ISSUES_URL = 'https://github.com/snowgov/snowgov/issues';
