import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
// ../../tmp/ll/micro3.ts
await tf.setBackend("wasm");
const time = (label, f) => {
	for (let i = 0; i < 2; i++) tf.dispose(f());
	const t0 = performance.now();
	for (let i = 0; i < 5; i++) {
		const r = f();
		(Array.isArray(r) ? r[0] : r).dataSync();
		tf.dispose(r);
	}
	console.log(label, ((performance.now() - t0) / 5).toFixed(2), "ms");
};
const x = tf.randomNormal([32, 12544]);
const w = tf.randomNormal([12544, 64]);
const d = tf.randomNormal([32, 64]);
time("mm dW (aT b)", () => tf.matMul(x, d, true, false));
time("mm dW explicit T", () => tf.tidy(() => tf.matMul(tf.transpose(x), d)));
time("mm dW as (dT x)T", () => tf.tidy(() => tf.transpose(tf.matMul(tf.transpose(d), x))));
time("mm dx (a bT)", () => tf.matMul(d, w, false, true));
time("mm dx explicit T", () => tf.tidy(() => tf.matMul(d, tf.transpose(w))));
const dy = tf.randomNormal([
	32,
	62,
	62,
	32
]);
const dy2 = tf.randomNormal([
	32,
	62,
	62,
	32
]);
time("mul different", () => tf.mul(dy, dy2));
time("mul same", () => tf.mul(dy, dy));
time("add different", () => tf.add(dy, dy2));
time("sum via matmul ones", () => tf.tidy(() => tf.matMul(tf.ones([1, 123008]), dy.reshape([-1, 32]))));
time("sum axis0 2d", () => tf.sum(dy.reshape([-1, 32]), 0));
time("sum all", () => tf.sum(dy));
export {};
