// The console's only way to the data: POST /graphql with the person's bearer token.
import { accessToken } from './auth.js';

/** An answer with errors: message joins theirs, codes lists extensions.code of each. */
export class GraphQLError extends Error {
  constructor(errors, status) {
    super(errors.map(e => e.message).join('; '));
    this.name = 'GraphQLError';
    this.errors = errors;
    this.status = status;
    this.codes = errors.map(e => e.extensions?.code ?? 'UNKNOWN');
  }
}

/** Runs a query or mutation; returns data, or throws GraphQLError with the error codes. */
export async function gql(query, variables = {}) {
  const token = accessToken();
  if (!token) throw new GraphQLError([{ message: 'You are not signed in.', extensions: { code: 'UNAUTHENTICATED' } }], 401);
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLError([{ message: `The API answered ${response.status} without JSON.`, extensions: { code: `HTTP_${response.status}` } }], response.status);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors, response.status);
  return body.data;
}
