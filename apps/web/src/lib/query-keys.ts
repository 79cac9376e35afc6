/** Query keys shared by features (each feature keeps its own private keys beside its api). */
export const sharedKeys = {
  me: ['me'] as const,
  rooms: ['rooms'] as const,
};
