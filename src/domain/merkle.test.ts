import { describe, expect, it } from 'vitest';
import { consistencyProof, inclusionProof, leafHash, treeRoot, verifyConsistency, verifyInclusion } from './merkle.js';

// RFC 6962 test vectors (the certificate-transparency set): leaf inputs and tree heads for 0..8 leaves.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hashes = LEAVES.map((h) => leafHash(Buffer.from(h, 'hex')));

describe('RFC 6962 Merkle tree', () => {
  it('reproduces the published tree heads for 0 to 8 leaves', () => {
    for (let n = 0; n <= 8; n++) expect(treeRoot(hashes.slice(0, n)).toString('hex')).toBe(ROOTS[n]);
  });

  it('proves and verifies inclusion of every leaf in every tree size', () => {
    for (let n = 1; n <= 8; n++) {
      const root = treeRoot(hashes.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(hashes.slice(0, n), m);
        expect(verifyInclusion(hashes[m]!, m, n, proof, root)).toBe(true);
        // The same proof must not vouch for a different leaf.
        expect(verifyInclusion(hashes[(m + 1) % 8]!, m, n, proof, root)).toBe(false);
      }
    }
  });

  it('proves and verifies consistency between every pair of sizes', () => {
    for (let n = 1; n <= 8; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(hashes.slice(0, n), m);
        const oldRoot = Buffer.from(ROOTS[m]!, 'hex');
        const newRoot = Buffer.from(ROOTS[n]!, 'hex');
        expect(verifyConsistency(m, n, proof, oldRoot, newRoot)).toBe(true);
        if (m < n) expect(verifyConsistency(m, n, proof, Buffer.from(ROOTS[0]!, 'hex'), newRoot)).toBe(false);
      }
    }
  });
});
