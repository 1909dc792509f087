export * from './schema';
export * from './sign';
export * from './text';
