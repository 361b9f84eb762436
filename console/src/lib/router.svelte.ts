// A hash router: the server serves static files only, so screens live after `#`
// (`/#/admin/users`, `/#/setup?token=…`). Tokens in the hash never reach server logs.
class Router {
  path = $state('/');
  query = $state(new URLSearchParams());

  constructor() {
    if (typeof window === 'undefined') return;
    this.#read();
    window.addEventListener('hashchange', () => this.#read());
  }

  go(path: string) {
    window.location.hash = path;
  }

  #read() {
    const raw = window.location.hash.replace(/^#/, '') || '/';
    const [path = '/', search = ''] = raw.split('?');
    this.path = path.startsWith('/') ? path : `/${path}`;
    this.query = new URLSearchParams(search);
  }
}

export const router = new Router();

/** The `href` of a console path. */
export const href = (path: string) => `#${path}`;
