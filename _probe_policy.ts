import { loadCardsSync, bundledCardsDir, renderCard } from "./src/cards/index.js";
import { loadPolicy, validateCommand } from "./src/policy/index.js";
const policy = loadPolicy();
const set = loadCardsSync([bundledCardsDir()]);
for (const card of set.cards) {
  card.examples.forEach((ex, i) => {
    const r = renderCard(card, ex.values, { now: new Date("2024-05-01T12:00:00Z") });
    for (const c of r.commands) {
      const v = validateCommand(c, policy);
      console.log(card.id, i, v.decision, v.risk, v.reasons.map(r=>r.code).join(","), "|", c);
    }
  });
}
