//! The compute kernels. Each is a WAT module exporting `run(i32) -> i64`: the parameter sizes
//! the work, the result is a checksum that every engine must agree on.

/// One kernel and its default size.
pub struct Kernel {
    pub name: &'static str,
    /// What it exercises, one line.
    pub what: &'static str,
    pub wat: &'static str,
    /// The argument of `run`, sized for roughly 100-500 ms per call on wasmi.
    pub arg: i32,
}

impl Kernel {
    pub fn compile(&self) -> anyhow::Result<Vec<u8>> {
        wat::parse_str(self.wat).map_err(|e| anyhow::anyhow!("kernels/{}.wat: {e}", self.name))
    }
}

macro_rules! kernel {
    ($name:literal, $arg:expr, $what:literal) => {
        Kernel {
            name: $name,
            what: $what,
            wat: include_str!(concat!("../kernels/", $name, ".wat")),
            arg: $arg,
        }
    };
}

pub const KERNELS: &[Kernel] = &[
    kernel!("fib", 32, "recursive fib(n): direct calls and returns"),
    kernel!(
        "loop",
        10_000_000,
        "xorshift64 loop over locals: integer ALU and branches"
    ),
    kernel!(
        "sieve",
        4_000_000,
        "sieve of Eratosthenes: byte loads and stores"
    ),
    kernel!(
        "matmul",
        200,
        "naive f64 matrix multiply: f64 loads, strided access"
    ),
    kernel!(
        "calls",
        1_500_000,
        "call_indirect through a table plus direct call chains"
    ),
    kernel!(
        "sha256",
        1_000_000,
        "SHA-256 of n bytes: rotates, locals, a schedule in memory"
    ),
    kernel!(
        "vm",
        8_000,
        "bytecode interpreter: br_table dispatch, registers in memory"
    ),
    kernel!(
        "dot",
        20_000,
        "i16 dot products with v128: vector loads, dot, lane adds, stores"
    ),
];

pub fn find(name: &str) -> Option<&'static Kernel> {
    KERNELS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    //! Each kernel, run on wasmi at a small size, against a plain Rust version of it.

    use super::*;
    use crate::runner::{Runner, Wasmi};

    fn run(name: &str, arg: i32) -> i64 {
        let wasm = find(name).unwrap().compile().unwrap();
        Wasmi::default()
            .load(&wasm)
            .unwrap()
            .run(arg)
            .unwrap()
            .checksum
    }

    #[test]
    fn fib() {
        fn fib(n: u32) -> i64 {
            if n < 2 {
                n as i64
            } else {
                fib(n - 1) + fib(n - 2)
            }
        }
        assert_eq!(run("fib", 20), fib(20));
        assert_eq!(run("fib", 20), 6765);
    }

    #[test]
    fn r#loop() {
        let n = 1000;
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let (mut sum, mut odd) = (0u64, 0u32);
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            odd += (x & 1) as u32;
            sum = sum.wrapping_add(x ^ i as u64);
        }
        assert_eq!(run("loop", n), sum.wrapping_add(odd as u64) as i64);
    }

    #[test]
    fn sieve() {
        let n = 50_000u32;
        let sum: u64 = (2..n)
            .filter(|&p| (2..).take_while(|d| d * d <= p).all(|d| p % d != 0))
            .map(u64::from)
            .sum();
        assert_eq!(run("sieve", n as i32), sum as i64);
        assert_eq!(run("sieve", 10), 2 + 3 + 5 + 7);
    }

    #[test]
    fn matmul() {
        let n = 37usize;
        let a: Vec<f64> = (0..n * n)
            .map(|k| ((k * 7 + 3) % 13) as f64 * 0.25)
            .collect();
        let b: Vec<f64> = (0..n * n)
            .map(|k| ((k / n + 2 * (k % n)) % 11) as f64 - 5.0)
            .collect();
        let mut sum = 0.0;
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let mut acc = 0.0;
                for k in 0..n {
                    acc += a[i * n + k] * b[k * n + j];
                }
                c[i * n + j] = acc;
            }
        }
        for v in c {
            sum += v;
        }
        assert_eq!(run("matmul", n as i32), sum.to_bits() as i64);
    }

    #[test]
    fn calls() {
        fn mix(a: u64, b: u64) -> u64 {
            (a ^ (b << 1)).wrapping_add(1)
        }
        let n = 1000u64;
        let mut acc: u64 = 1;
        for i in 0..n {
            acc = match i & 7 {
                0 => acc.wrapping_add(i),
                1 => acc ^ i,
                2 => acc.wrapping_mul(0x5851_F42D_4C95_7F2D).wrapping_add(i),
                3 => acc.rotate_left((i & 63) as u32),
                4 => acc.wrapping_sub(i),
                5 => (acc >> 3).wrapping_add(i),
                6 => (acc << 1) ^ i,
                _ => mix(i, acc),
            };
            acc = mix(acc, i + 5);
        }
        assert_eq!(run("calls", n as i32), acc as i64);
    }

    /// SHA-256 as in FIPS 180-4.
    fn sha256_ref(msg: &[u8]) -> [u32; 8] {
        const K: [u32; 64] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2,
        ];
        let mut h: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let mut data = msg.to_vec();
        data.push(0x80);
        while data.len() % 64 != 56 {
            data.push(0);
        }
        data.extend_from_slice(&((msg.len() as u64) * 8).to_be_bytes());
        for block in data.chunks(64) {
            let mut w = [0u32; 64];
            for t in 0..64 {
                w[t] = if t < 16 {
                    u32::from_be_bytes(block[4 * t..4 * t + 4].try_into().unwrap())
                } else {
                    let s0 =
                        w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
                    let s1 =
                        w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
                    w[t - 16]
                        .wrapping_add(s0)
                        .wrapping_add(w[t - 7])
                        .wrapping_add(s1)
                };
            }
            let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
            for t in 0..64 {
                let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
                let ch = (e & f) ^ (!e & g);
                let t1 = hh
                    .wrapping_add(s1)
                    .wrapping_add(ch)
                    .wrapping_add(K[t])
                    .wrapping_add(w[t]);
                let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
                let maj = (a & b) ^ (a & c) ^ (b & c);
                let t2 = s0.wrapping_add(maj);
                hh = g;
                g = f;
                f = e;
                e = d.wrapping_add(t1);
                d = c;
                c = b;
                b = a;
                a = t1.wrapping_add(t2);
            }
            for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
                *x = x.wrapping_add(y);
            }
        }
        h
    }

    #[test]
    fn sha256_reference_is_sha256() {
        assert_eq!(
            sha256_ref(b"abc"),
            [
                0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223, 0xb00361a3, 0x96177a9c, 0xb410ff61,
                0xf20015ad
            ]
        );
    }

    #[test]
    fn sha256() {
        for n in [0usize, 1, 55, 56, 63, 64, 1000, 10_000] {
            let mut seed: u32 = 12345;
            let msg: Vec<u8> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                    (seed >> 16) as u8
                })
                .collect();
            let h = sha256_ref(&msg);
            let expect = ((h[0] as u64) << 32 | h[1] as u64) as i64;
            assert_eq!(run("sha256", n as i32), expect, "n = {n}");
        }
    }

    #[test]
    fn vm() {
        let n = 1100u32; // past 1023, so that heap slots are updated twice
        let mut heap = [0u32; 1024];
        let mut total = 0u32;
        for x in 1..=n {
            let (mut y, mut steps) = (x, 0u32);
            while y != 1 {
                y = if y & 1 == 1 {
                    y.wrapping_mul(3).wrapping_add(1)
                } else {
                    y >> 1
                };
                steps += 1;
            }
            total = total.wrapping_add(steps);
            let slot = &mut heap[(x & 1023) as usize];
            *slot = slot.wrapping_add(steps) ^ x;
        }
        let hash = heap.iter().fold(0u32, |h, &w| h.rotate_left(5) ^ w);
        assert_eq!(
            run("vm", n as i32),
            ((total as u64) << 32 | hash as u64) as i64
        );
    }

    #[test]
    fn dot() {
        fn fill(seed: u32) -> Vec<i16> {
            let mut x = seed;
            (0..4096)
                .map(|_| {
                    let v = ((x >> 16) & 0x7ff) as i16 - 1024;
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    v
                })
                .collect()
        }
        let (mut a, b) = (fill(1), fill(2));
        let n = 7;
        let mut sum = 0i64;
        for _ in 0..n {
            // Lane j of the accumulator holds elements 8k + 2j and 8k + 2j + 1 of each chunk k.
            let mut lanes = [0i32; 4];
            for (i, (&x, &y)) in a.iter().zip(&b).enumerate() {
                let lane = &mut lanes[(i % 8) / 2];
                *lane = lane.wrapping_add(i32::from(x) * i32::from(y));
            }
            sum += lanes.iter().map(|&l| i64::from(l)).sum::<i64>();
            for x in &mut a {
                *x = x.wrapping_add(1);
            }
        }
        assert_eq!(run("dot", n), sum);
    }
}
