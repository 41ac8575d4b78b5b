// The Audit view (filled in by later steps).
import { h } from '../dom.js';

export default {
  id: 'auditor',
  title: 'Audit',
  roles: ['auditor', 'tenant-admin'],
  async render(container) {
    container.replaceChildren(h('p', {}, 'Coming soon.'));
  },
};
