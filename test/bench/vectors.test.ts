import assert from "node:assert/strict";
import { test } from "node:test";
import { MINILM_LIKE, TopicMixture, neighbourStats, randomUnitVectors, seededRandom } from "../../bench/vectors.js";

const DIM = MINILM_LIKE.dimension;

test("the topic mixture is deterministic per seed and yields unit vectors", () => {
  const a = new TopicMixture(MINILM_LIKE, 5).sample(50, seededRandom(6));
  const b = new TopicMixture(MINILM_LIKE, 5).sample(50, seededRandom(6));
  assert.deepEqual(a.vectors, b.vectors);
  assert.deepEqual(a.topics, b.topics);
  const c = new TopicMixture(MINILM_LIKE, 5).sample(50, seededRandom(7));
  assert.notDeepEqual(a.vectors, c.vectors);
  for (let row = 0; row < 50; row++) {
    let norm = 0;
    for (let d = 0; d < DIM; d++) norm += a.vectors[row * DIM + d]! ** 2;
    assert.ok(Math.abs(norm - 1) < 1e-5, `row ${row} has squared norm ${norm}`);
  }
});

test("mixture vectors have near neighbours and low local dimension; uniform vectors have neither", () => {
  const mixture = new TopicMixture(MINILM_LIKE, 1);
  const clustered = neighbourStats(mixture.sample(3000, seededRandom(2)).vectors, mixture.sample(50, seededRandom(3)).vectors, DIM);
  const uniform = neighbourStats(randomUnitVectors(3000, DIM, seededRandom(2)), randomUnitVectors(50, DIM, seededRandom(3)), DIM);
  assert.ok(clustered.relativeContrast > 1.4, `mixture relative contrast ${clustered.relativeContrast}`);
  assert.ok(uniform.relativeContrast < 1.2, `uniform relative contrast ${uniform.relativeContrast}`);
  assert.ok(clustered.localDimension < 30, `mixture LID ${clustered.localDimension}`);
  assert.ok(uniform.localDimension > 60, `uniform LID ${uniform.localDimension}`);
  assert.ok(Math.abs(clustered.meanCosine) < 0.15 && Math.abs(uniform.meanCosine) < 0.02);
});
