/** Issue 14's goals for the end-to-end benchmark, printed and reported beside the figures. */
export const E2E_GOALS = {
  /** End-to-end detections/s at the most cameras sustained / the model alone's best inferences/s. */
  efficiency: 0.85,
  /** RSS at `soakCameras` cameras, every frame detected. */
  soakRssMiB: 500,
  soakCameras: 8,
  /** Flat memory: the soak's least-squares RSS slope within this many MiB per minute. */
  soakSlopeMiBPerMinute: 1,
  /** Motion-gated sustained cameras (half the scenes static) / every-frame sustained cameras. */
  gatedVsEveryFrame: 1.8,
} as const;

export type E2eGoals = { -readonly [K in keyof typeof E2E_GOALS]: number };
