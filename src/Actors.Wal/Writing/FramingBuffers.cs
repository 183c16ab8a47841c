using System.Runtime.CompilerServices;

namespace Actors.Wal.Writing;

/// <summary>
/// The framing buffers that groups outgrew their own buffer with (<see cref="CommitGroup.InitialBufferBytes"/>), kept
/// for the next group that needs one, so a log under load reuses a few large buffers instead of allocating one whenever a
/// group that was small before frames a large commit.
/// </summary>
/// <remarks>
/// <para>Why (issue 65): each group kept the largest buffer it had ever framed into, and which group frames a large
/// commit is a matter of timing (the committer's lingering takes many small groups per commit, and the pool of groups
/// hands out the last one returned). At 256 writers x 1 KiB every group in turn grew 64 KiB, 128 KiB, 256 KiB, 512 KiB,
/// about 40 B allocated per append in steady state (more under load, when more groups are in flight), and the log held
/// dozens of 512 KiB buffers. Here a grown buffer goes back when its group is returned, and a group that outgrows its own
/// takes the largest one kept; a group's own buffer is 16 KiB (was 64 KiB), so the groups a loaded machine puts in flight
/// cost little each.</para>
/// <para>Bounded: at most <see cref="MaxBuffers"/> buffers and <c>maxBytes</c> bytes are kept, the largest first (a
/// buffer that does not fit is dropped for the garbage collector, as every grown buffer was before). Thread-safe: the
/// writer (the thread holding the drain) takes and gives, the committer gives as it returns groups.</para>
/// </remarks>
internal sealed class FramingBuffers
{
    /// <summary>The most buffers kept.</summary>
    public const int MaxBuffers = 64;

    private readonly byte[]?[] _kept = new byte[MaxBuffers][];
    private readonly long _maxBytes;
    private long _bytes;

    /// <summary>Creates an empty set keeping at most <paramref name="maxBytes"/> bytes of buffers.</summary>
    public FramingBuffers(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxBytes = maxBytes;
    }

    /// <summary>Bytes of the buffers kept now.</summary>
    public long KeptBytes
    {
        get
        {
            lock (_kept)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The largest buffer kept when it holds at least <paramref name="length"/> bytes (no longer kept), else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte[]? TakeAtLeast(int length)
    {
        lock (_kept)
        {
            int largest = -1;
            for (int i = 0; i < _kept.Length; i++)
            {
                if (_kept[i] is { } buffer && (largest < 0 || buffer.Length > _kept[largest]!.Length))
                {
                    largest = i;
                }
            }

            if (largest < 0 || _kept[largest]!.Length < length)
            {
                return null;
            }

            byte[] taken = _kept[largest]!;
            _kept[largest] = null;
            _bytes -= taken.Length;
            return taken;
        }
    }

    /// <summary>Keeps <paramref name="buffer"/> for a later group, in place of a smaller one when the set is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Give(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length > _maxBytes)
        {
            return;
        }

        lock (_kept)
        {
            while (true)
            {
                int free = -1;
                int smallest = -1;
                for (int i = 0; i < _kept.Length; i++)
                {
                    if (_kept[i] is not { } kept)
                    {
                        free = free < 0 ? i : free;
                    }
                    else if (smallest < 0 || kept.Length < _kept[smallest]!.Length)
                    {
                        smallest = i;
                    }
                }

                if (free >= 0 && _bytes + buffer.Length <= _maxBytes)
                {
                    _kept[free] = buffer;
                    _bytes += buffer.Length;
                    return;
                }

                if (smallest < 0 || _kept[smallest]!.Length >= buffer.Length)
                {
                    return; // what is kept is at least as large: this one is dropped
                }

                _bytes -= _kept[smallest]!.Length; // make room by dropping the smallest, then look again
                _kept[smallest] = null;
            }
        }
    }
}
