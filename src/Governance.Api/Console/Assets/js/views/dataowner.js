// The Data quality view (filled in by later steps).
import { h } from '../dom.js';

export default {
  id: 'dataowner',
  title: 'Data quality',
  roles: ['data-owner'],
  async render(container) {
    container.replaceChildren(h('p', {}, 'Coming soon.'));
  },
};
