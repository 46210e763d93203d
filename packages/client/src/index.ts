/** @sharelock/client: under construction. */
export {};
