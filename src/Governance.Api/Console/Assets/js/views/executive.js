// The Scorecard view (filled in by later steps).
import { h } from '../dom.js';

export default {
  id: 'executive',
  title: 'Scorecard',
  roles: ['executive', 'tenant-admin', 'cs-manager'],
  async render(container) {
    container.replaceChildren(h('p', {}, 'Coming soon.'));
  },
};
