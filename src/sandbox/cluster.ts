import { EventRecorder } from "./events.js";
import { ImageCatalog } from "./images.js";
import { NameGenerator } from "./names.js";
import { Store } from "./store.js";

/** The state every handler and controller shares: storage, the event recorder, the image registry, name generation. */
export class Cluster {
  readonly store = new Store();
  readonly names = new NameGenerator();
  readonly events = new EventRecorder(this.store, this.names);
  images = new ImageCatalog();

  now(): Date {
    return this.store.now();
  }
}
