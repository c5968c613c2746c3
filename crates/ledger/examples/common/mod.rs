//! What the benchmark examples share: the entries they append and a deterministic generator
//! for the indexes they ask about.

/// Entry `i`: its number, then padding to 32 bytes.
pub fn entry(i: u64) -> [u8; 32] {
    let mut e = [b'.'; 32];
    e[..8].copy_from_slice(&i.to_be_bytes());
    e
}

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}
