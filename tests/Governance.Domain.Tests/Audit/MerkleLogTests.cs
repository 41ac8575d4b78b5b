using System.Text;
using Governance.Domain.Audit;

namespace Governance.Domain.Tests.Audit;

public sealed class MerkleLogTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static List<byte[]> Leaves(int n) =>
        Enumerable.Range(0, n).Select(i => MerkleLog.LeafHash(Encoding.UTF8.GetBytes($"entry {i}"))).ToList();

    private static List<byte[]> LetterLeaves() =>
        MerkleVectors.Letters.Select(l => MerkleLog.LeafHash(Encoding.UTF8.GetBytes(l))).ToList();

    private static byte[] Flip(byte[] hash, int bit = 0)
    {
        var copy = (byte[])hash.Clone();
        copy[bit / 8 % copy.Length] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    [Fact]
    public void ShouldHashLeavesAndNodesWithTheirPrefixes()
    {
        // SHA-256 of the single byte 0x00: the leaf hash of an empty entry.
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(MerkleLog.LeafHash([])));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleLog.RootHash([])));
    }

    [Fact]
    public void ShouldMatchThePublishedCertificateTransparencyRoot()
    {
        var leaves = MerkleVectors.CtLeaves.Select(h => MerkleLog.LeafHash(Hex(h))).ToList();

        // The root of the eight leaves as published with the certificate-transparency test vectors.
        Assert.Equal("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", Convert.ToHexStringLower(MerkleLog.RootHash(leaves)));
        for (var n = 0; n <= 8; n++)
        {
            Assert.Equal(MerkleVectors.CtRoots[n], Convert.ToHexStringLower(MerkleLog.RootHash(leaves, n)));
        }
    }

    [Fact]
    public void ShouldMatchTheKnownRootsOfTheLetters()
    {
        var leaves = LetterLeaves();
        for (var n = 0; n <= 8; n++)
        {
            Assert.Equal(MerkleVectors.LetterRoots[n], Convert.ToHexStringLower(MerkleLog.RootHash(leaves, n)));
        }
    }

    [Fact]
    public void ShouldMatchTheKnownInclusionProofs()
    {
        var leaves = LetterLeaves();
        foreach (var (index, size, path) in MerkleVectors.LetterInclusion)
        {
            var proof = MerkleLog.InclusionProof(leaves, index, size);
            Assert.Equal(path, proof.Select(Convert.ToHexStringLower));
            Assert.True(MerkleLog.VerifyInclusion(leaves[index], index, size, path.Select(Hex).ToList(), Hex(MerkleVectors.LetterRoots[size])));
        }
    }

    [Fact]
    public void ShouldMatchTheKnownConsistencyProofs()
    {
        var leaves = LetterLeaves();
        foreach (var (old, @new, expected) in MerkleVectors.LetterConsistency)
        {
            var proof = MerkleLog.ConsistencyProof(leaves, old, @new);
            Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
            Assert.True(MerkleLog.VerifyConsistency(old, @new, Hex(MerkleVectors.LetterRoots[old]), Hex(MerkleVectors.LetterRoots[@new]), expected.Select(Hex).ToList()));
        }
    }

    [Fact]
    public void ShouldVerifyEveryInclusionProofUpTo33LeavesAndRejectEveryTampering()
    {
        var leaves = Leaves(33);
        for (var n = 1; n <= 33; n++)
        {
            var root = MerkleLog.RootHash(leaves, n);
            for (var m = 0; m < n; m++)
            {
                var proof = MerkleLog.InclusionProof(leaves, m, n);
                Assert.True(MerkleLog.VerifyInclusion(leaves[m], m, n, proof, root), $"leaf {m} of {n}");

                Assert.False(MerkleLog.VerifyInclusion(Flip(leaves[m], m), m, n, proof, root));
                Assert.False(MerkleLog.VerifyInclusion(leaves[m], m, n, proof, Flip(root, n)));
                AssertWrongSizeRejected(m, n, n + 1, MerkleLog.VerifyInclusion(leaves[m], m, n + 1, proof, root));
                Assert.False(MerkleLog.VerifyInclusion(leaves[m], m, n, [.. proof, leaves[0]], root));
                Assert.False(MerkleLog.VerifyInclusion(leaves[m], n, n, proof, root));
                if (n > 1)
                {
                    Assert.False(MerkleLog.VerifyInclusion(leaves[m], (m + 1) % n, n, proof, root));
                    AssertWrongSizeRejected(m, n, n - 1, MerkleLog.VerifyInclusion(leaves[m], m, n - 1, proof, root));
                    Assert.False(MerkleLog.VerifyInclusion(leaves[m], m, n, proof.Skip(1).ToList(), root));
                    for (var i = 0; i < proof.Count; i++)
                    {
                        var tampered = proof.ToList();
                        tampered[i] = Flip(tampered[i], i * 7);
                        Assert.False(MerkleLog.VerifyInclusion(leaves[m], m, n, tampered, root), $"leaf {m} of {n}, proof hash {i} flipped");
                    }
                }
            }
        }
    }

    [Fact]
    public void ShouldVerifyEveryConsistencyProofUpTo33LeavesAndRejectEveryTampering()
    {
        var leaves = Leaves(33);
        var roots = Enumerable.Range(0, 34).Select(n => MerkleLog.RootHash(leaves, n)).ToList();
        for (var n = 1; n <= 33; n++)
        {
            Assert.True(MerkleLog.VerifyConsistency(n, n, roots[n], roots[n], MerkleLog.ConsistencyProof(leaves, n, n)));
            for (var m = 1; m < n; m++)
            {
                var proof = MerkleLog.ConsistencyProof(leaves, m, n);
                Assert.True(MerkleLog.VerifyConsistency(m, n, roots[m], roots[n], proof), $"{m} → {n}");

                Assert.False(MerkleLog.VerifyConsistency(m, n, Flip(roots[m]), roots[n], proof));
                Assert.False(MerkleLog.VerifyConsistency(m, n, roots[m], Flip(roots[n]), proof));
                Assert.False(MerkleLog.VerifyConsistency(m, n, roots[m], roots[n], []));
                Assert.False(MerkleLog.VerifyConsistency(m, n, roots[m], roots[n], proof.Take(proof.Count - 1).ToList()));
                Assert.False(MerkleLog.VerifyConsistency(m, n, roots[m], roots[n], [.. proof, roots[1]]));
                Assert.False(MerkleLog.VerifyConsistency(n, m, roots[n], roots[m], proof));
                if (MerkleLog.VerifyConsistency(m, n + 1, roots[m], roots[n], proof))
                {
                    Assert.Equal(ConsistencyShape(m, n, true), ConsistencyShape(m, n + 1, true));
                }

                if (MerkleLog.VerifyConsistency(m + 1, n, roots[m], roots[n], proof))
                {
                    Assert.Equal(ConsistencyShape(m, n, true), ConsistencyShape(m + 1, n, true));
                }

                for (var i = 0; i < proof.Count; i++)
                {
                    var tampered = proof.ToList();
                    tampered[i] = Flip(tampered[i], i * 5);
                    Assert.False(MerkleLog.VerifyConsistency(m, n, roots[m], roots[n], tampered), $"{m} → {n}, proof hash {i} flipped");
                }

                // An old tree that is not a prefix: leaf 0 replaced.
                var forked = leaves.ToList();
                forked[0] = Flip(forked[0]);
                Assert.False(MerkleLog.VerifyConsistency(m, n, MerkleLog.RootHash(forked, m), roots[n], proof));
            }
        }
    }

    // A proof carries no size: a wrong size is accepted only when the path combines exactly as for the
    // right one (leaf 0 of trees of 5 to 8 leaves, say). That is why the size is part of the signed
    // checkpoint. Shapes come from the recursive definition, not from the verifier's bit arithmetic.
    private static void AssertWrongSizeRejected(int m, int n, int wrongSize, bool accepted)
    {
        if (accepted)
        {
            Assert.Equal(InclusionShape(m, n), InclusionShape(m, wrongSize));
        }
    }

    private static string InclusionShape(int m, int n)
    {
        if (m >= n)
        {
            return "out";
        }

        if (n == 1)
        {
            return "";
        }

        var k = MerkleLog.Split(n);
        return m < k ? InclusionShape(m, k) + "R" : InclusionShape(m - k, n - k) + "L";
    }

    private static string ConsistencyShape(int m, int n, bool complete)
    {
        if (m == n)
        {
            return complete ? "" : "S";
        }

        var k = MerkleLog.Split(n);
        return m <= k ? ConsistencyShape(m, k, complete) + "R" : ConsistencyShape(m - k, n - k, false) + "L";
    }

    [Fact]
    public void ShouldRejectAWrongSizeWheneverItChangesHowThePathCombines()
    {
        var leaves = Leaves(8);
        var proof = MerkleLog.InclusionProof(leaves, 5, 6);
        Assert.False(MerkleLog.VerifyInclusion(leaves[5], 5, 7, proof, MerkleLog.RootHash(leaves, 6)));
        Assert.False(MerkleLog.VerifyInclusion(leaves[5], 5, 8, proof, MerkleLog.RootHash(leaves, 6)));
    }

    [Fact]
    public void ShouldRefuseProofsOutsideTheTree()
    {
        var leaves = Leaves(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.InclusionProof(leaves, 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.InclusionProof(leaves, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.ConsistencyProof(leaves, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.ConsistencyProof(leaves, 3, 2));
    }
}
