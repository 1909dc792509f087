export * from './schema';
export * from './sign';
export * from './text';
export * from './times';
export * from './local-day';
