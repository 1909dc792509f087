export { MqttFeed, type MqttFeedDeps, type MqttFeedStatus, type CameraZones } from './feed';
export { MqttConfigSchema, type MqttConfig, type MqttConfigInput } from './config';
export { feedTopics, defaultTopicPrefix, type FeedTopics } from './topics';
export type { EventMessage, CameraStateMessage, ZoneMessage } from './payloads';
