using System.Security.Cryptography;

namespace Governance.Domain.Audit;

/// <summary>
/// The Merkle tree of a log, hashed as RFC 6962 §2.1 / RFC 9162 §2.1: a leaf is SHA-256(0x00 ‖ entry),
/// an interior node SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits at the largest power of
/// two smaller than n. Pure functions over the leaf hashes, in log order; the proofs are the audit path
/// (inclusion) and the consistency proof of those RFCs, so any RFC 6962 verifier accepts them.
/// </summary>
public static class MerkleLog
{
    /// <summary>Bytes in every hash.</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>The hash of an empty tree: SHA-256 of no bytes.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    /// <summary>SHA-256(0x00 ‖ <paramref name="entry"/>).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        var buffer = new byte[entry.Length + 1];
        buffer[0] = LeafPrefix;
        entry.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    /// <summary>SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The Merkle Tree Hash of the first <paramref name="treeSize"/> leaves (all when null).</summary>
    public static byte[] RootHash(IReadOnlyList<byte[]> leafHashes, long? treeSize = null)
    {
        var size = CheckSize(leafHashes, treeSize);
        return size == 0 ? EmptyRoot() : Subtree(leafHashes, 0, size);
    }

    /// <summary>
    /// The audit path of leaf <paramref name="index"/> in the tree of the first <paramref name="treeSize"/>
    /// leaves (RFC 6962 §2.1.1 PATH(m, D[n])), nearest sibling first.
    /// </summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long treeSize)
    {
        var size = CheckSize(leafHashes, treeSize);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"A leaf index is from 0 to tree size - 1 ({size - 1}).");
        }

        var path = new List<byte[]>();
        Path((int)index, 0, size, leafHashes, path);
        return path;
    }

    /// <summary>
    /// The consistency proof between the trees of the first <paramref name="oldSize"/> and the first
    /// <paramref name="newSize"/> leaves (RFC 6962 §2.1.2 PROOF(m, D[n])); empty when the sizes are equal.
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long oldSize, long newSize)
    {
        var size = CheckSize(leafHashes, newSize);
        if (oldSize < 1 || oldSize > size)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, $"The old size is from 1 to the new size ({size}).");
        }

        var proof = new List<byte[]>();
        SubProof((int)oldSize, 0, size, complete: true, leafHashes, proof);
        return proof;
    }

    /// <summary>Whether <paramref name="proof"/> shows leaf <paramref name="index"/> with <paramref name="leafHash"/> in the tree of <paramref name="treeSize"/> leaves with <paramref name="root"/> (RFC 9162 §2.1.3.2).</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long treeSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= treeSize || leafHash.Length != HashSize || !AllHashes(proof))
        {
            return false;
        }

        long fn = index, sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows that the tree of <paramref name="oldSize"/> leaves with
    /// <paramref name="oldRoot"/> is a prefix of the tree of <paramref name="newSize"/> leaves with
    /// <paramref name="newRoot"/> (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 1 || oldSize > newSize || !AllHashes(proof))
        {
            return false;
        }

        if (oldSize == newSize)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, newRoot);
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = new List<byte[]>(proof.Count + 1);
        if ((oldSize & (oldSize - 1)) == 0)
        {
            path.Add(oldRoot.ToArray());
        }

        path.AddRange(proof);
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, oldRoot) && CryptographicOperations.FixedTimeEquals(sr, newRoot);
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n ≥ 2): where a tree of n leaves splits.</summary>
    public static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private static int CheckSize(IReadOnlyList<byte[]> leafHashes, long? treeSize)
    {
        var size = treeSize ?? leafHashes.Count;
        if (size < 0 || size > leafHashes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(treeSize), size, $"The tree size is from 0 to the number of leaves ({leafHashes.Count}).");
        }

        return (int)size;
    }

    private static bool AllHashes(IReadOnlyList<byte[]> proof) => proof.All(h => h is { Length: HashSize });

    // MTH(D[start : start + count]), count ≥ 1.
    private static byte[] Subtree(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var k = Split(count);
        return NodeHash(Subtree(leaves, start, k), Subtree(leaves, start + k, count - k));
    }

    // PATH(m, D[start : start + count]), appended leaf side first.
    private static void Path(int m, int start, int count, IReadOnlyList<byte[]> leaves, List<byte[]> path)
    {
        if (count == 1)
        {
            return;
        }

        var k = Split(count);
        if (m < k)
        {
            Path(m, start, k, leaves, path);
            path.Add(Subtree(leaves, start + k, count - k));
        }
        else
        {
            Path(m - k, start + k, count - k, leaves, path);
            path.Add(Subtree(leaves, start, k));
        }
    }

    // SUBPROOF(m, D[start : start + count], b).
    private static void SubProof(int m, int start, int count, bool complete, IReadOnlyList<byte[]> leaves, List<byte[]> proof)
    {
        if (m == count)
        {
            if (!complete)
            {
                proof.Add(Subtree(leaves, start, count));
            }

            return;
        }

        var k = Split(count);
        if (m <= k)
        {
            SubProof(m, start, k, complete, leaves, proof);
            proof.Add(Subtree(leaves, start + k, count - k));
        }
        else
        {
            SubProof(m - k, start + k, count - k, complete: false, leaves, proof);
            proof.Add(Subtree(leaves, start, k));
        }
    }
}
