/**
 * How the services narrate what they do: one line per event, tagged with the service's name.
 * The demo prints them; tests and production code pass `silent` (or a real logger).
 */
export type Trace = (service: string, line: string) => void

export const silent: Trace = () => {}
