// The Committee view (filled in by later steps).
import { h } from '../dom.js';

export default {
  id: 'committee',
  title: 'Committee',
  roles: ['committee-member'],
  async render(container) {
    container.replaceChildren(h('p', {}, 'Coming soon.'));
  },
};
