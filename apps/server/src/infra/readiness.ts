/** A dependency that must answer for the process to take traffic (`/readyz`). */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}
