import type { Route } from '@tap/contracts';

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'parameter'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly Segment[];
  readonly literals: number;
}

/** A request matched to a route. */
export interface RouteMatch {
  readonly route: Route;
  /** Path parameters, percent-decoded as HTTP APIs pass them. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .slice(1)
    .split('/')
    .map((part): Segment => {
      const parameter = /^\{([^{}]+?)(\+?)\}$/.exec(part);
      if (!parameter?.[1]) return { kind: 'literal', value: part };
      return parameter[2]
        ? { kind: 'greedy', name: parameter[1] }
        : { kind: 'parameter', name: parameter[1] };
    });
  return {
    route,
    segments,
    literals: segments.filter((segment) => segment.kind === 'literal').length,
  };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(
  compiled: CompiledRoute,
  parts: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of compiled.segments.entries()) {
    const part = parts[index];
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.every((piece) => piece === '')) return undefined;
      parameters[segment.name] = rest.map(decode).join('/');
      return parameters;
    }
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return parts.length === compiled.segments.length ? parameters : undefined;
}

/**
 * Matches requests to routes like an HTTP API: method plus path template, `{name}`
 * matching one non-empty segment, `{name+}` the rest of the path. When several routes
 * match, the one with the most literal segments wins (`/items/new` over `/items/{id}`).
 */
export class RouteMatcher {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = [...routes].map(compile).sort((a, b) => b.literals - a.literals);
  }

  /** The route serving `method rawPath`, or undefined (the gateway answers 404). */
  match(method: string, rawPath: string): RouteMatch | undefined {
    if (!rawPath.startsWith('/')) return undefined;
    const parts = rawPath.slice(1).split('/');
    for (const compiled of this.compiled) {
      if (compiled.route.method !== method.toUpperCase()) continue;
      const pathParameters = matchSegments(compiled, parts);
      if (pathParameters) return { route: compiled.route, pathParameters };
    }
    return undefined;
  }
}
