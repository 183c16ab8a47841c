using Actors.Runtime.Concurrency;

namespace Actors.Runtime;

/// <summary>
/// The silo's outstanding calls, each filed under the time it next needs attention (its response deadline, or its
/// next stuck check): a hashed timing wheel per stripe, so tracking, untracking and finding what is due cost in
/// proportion to the calls involved, never to the number of activations or of calls in flight elsewhere.
/// </summary>
/// <remarks>
/// <para>Each stripe (one per processor, chosen by the tracking thread) is a wheel of doubly linked buckets, one per
/// <see cref="Resolution"/>, guarded by the stripe's lock; the links live in the <see cref="GrainCall"/>, so tracking
/// allocates nothing. A call due at time <c>t</c> sits in the bucket of tick <c>ceil(t / resolution)</c> and is handed
/// out by the first <see cref="TakeDue"/> at or after that tick, so it is late by at most one resolution plus the timer's
/// own delay. Calls due more than a wheel turn ahead stay in their bucket across turns.</para>
/// <para>Thread-safe. Lock order: a stripe lock is innermost (nothing else is acquired while holding it).</para>
/// </remarks>
internal sealed class CallTracker
{
    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;

    /// <summary>Creates a tracker whose buckets span <paramref name="resolution"/> and whose wheel covers at least <paramref name="horizon"/>.</summary>
    /// <param name="resolution">The width of a bucket.</param>
    /// <param name="horizon">The longest time ahead calls are usually filed (longer ones wait across wheel turns).</param>
    /// <param name="nowTicks">The current time (UTC ticks): the first tick the wheel will visit.</param>
    public CallTracker(TimeSpan resolution, TimeSpan horizon, long nowTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(resolution, TimeSpan.Zero);
        Resolution = resolution;
        long slots = Math.Clamp((horizon.Ticks / resolution.Ticks) + 2, 16, 4096);
        int wheelSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slots);
        int stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _stripeMask = stripes - 1;
        _stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stripe(wheelSize, nowTicks / resolution.Ticks);
        }
    }

    /// <summary>The width of a bucket: how late a due call may be handed out, at most.</summary>
    public TimeSpan Resolution { get; }

    /// <summary>How many calls are tracked (exact when no update is in progress).</summary>
    public int Count => _stripes.Sum(s => Volatile.Read(ref s.Count));

    /// <summary>
    /// Files <paramref name="call"/> (not tracked now) under <paramref name="dueTicks"/>, unless it is already settled;
    /// returns whether it was filed.
    /// </summary>
    /// <remarks>
    /// A call keeps the stripe of its first filing, so this and <see cref="Untrack"/> always take the same lock. The
    /// settled check under that lock closes the race with a call that settles while the caller of this method held it
    /// outside the tracker: the settling side changes the call's state and then untracks under the lock, so either it
    /// finds the call filed and removes it, or this method sees it settled and does not file it.
    /// </remarks>
    public bool Track(GrainCall call, long dueTicks)
    {
        if (call.TrackerStripe < 0)
        {
            call.TrackerStripe = InterleavingPoints.ProcessorId() & _stripeMask;
        }

        Stripe stripe = _stripes[call.TrackerStripe];
        using (InterleavingPoints.Lock(stripe))
        {
            if (call.IsSettled)
            {
                return false;
            }

            stripe.Insert(call, dueTicks, Resolution.Ticks);
            return true;
        }
    }

    /// <summary>Stops tracking <paramref name="call"/>; false when it was not tracked.</summary>
    public bool Untrack(GrainCall call)
    {
        if (call.TrackerStripe < 0)
        {
            return false;
        }

        Stripe stripe = _stripes[call.TrackerStripe];
        using (InterleavingPoints.Lock(stripe))
        {
            if (call.TrackerSlot < 0)
            {
                return false;
            }

            stripe.Remove(call);
            return true;
        }
    }

    /// <summary>Removes every call due at or before <paramref name="nowTicks"/> and adds it to <paramref name="due"/>.</summary>
    public void TakeDue(long nowTicks, List<GrainCall> due)
    {
        foreach (Stripe stripe in _stripes)
        {
            using (InterleavingPoints.Lock(stripe))
            {
                stripe.TakeDue(nowTicks, Resolution.Ticks, due);
            }
        }
    }

    /// <summary>Removes every tracked call and adds it to <paramref name="all"/> (silo kill).</summary>
    public void TakeAll(List<GrainCall> all) => TakeDue(long.MaxValue, all);

    /// <summary>One wheel; its fields are guarded by the stripe object's lock.</summary>
    private sealed class Stripe(int wheelSize, long firstTick)
    {
        private readonly GrainCall?[] _buckets = new GrainCall?[wheelSize];
        private long _nextTick = firstTick;

        /// <summary>Tracked calls in this stripe (written under the lock, read without it for the total).</summary>
        public int Count;

        public void Insert(GrainCall call, long dueTicks, long resolutionTicks)
        {
            long tick = CeilingTick(dueTicks, resolutionTicks);
            int slot = (int)(Math.Max(tick, _nextTick) & (_buckets.Length - 1));
            call.TrackerDueTicks = dueTicks;
            call.TrackerSlot = slot;
            call.TrackerPrevious = null;
            call.TrackerNext = _buckets[slot];
            if (call.TrackerNext is { } next)
            {
                next.TrackerPrevious = call;
            }

            _buckets[slot] = call;
            Count++;
        }

        public void Remove(GrainCall call)
        {
            if (call.TrackerPrevious is { } previous)
            {
                previous.TrackerNext = call.TrackerNext;
            }
            else
            {
                _buckets[call.TrackerSlot] = call.TrackerNext;
            }

            if (call.TrackerNext is { } next)
            {
                next.TrackerPrevious = call.TrackerPrevious;
            }

            call.TrackerPrevious = null;
            call.TrackerNext = null;
            call.TrackerSlot = -1;
            Count--;
        }

        public void TakeDue(long nowTicks, long resolutionTicks, List<GrainCall> due)
        {
            long nowTick = nowTicks == long.MaxValue ? long.MaxValue : nowTicks / resolutionTicks;
            if (nowTick < _nextTick)
            {
                return;
            }

            // Visit each bucket whose tick has come, at most once per call (a gap longer than a turn visits them all).
            long ticks = Count == 0 ? 0 : Math.Min(nowTick - _nextTick + 1, _buckets.Length);
            for (long i = 0; i < ticks; i++)
            {
                int slot = (int)((_nextTick + i) & (_buckets.Length - 1));
                GrainCall? call = _buckets[slot];
                while (call is not null)
                {
                    GrainCall? next = call.TrackerNext;
                    if (call.TrackerDueTicks <= nowTicks)
                    {
                        Remove(call);
                        due.Add(call);
                    }

                    call = next;
                }
            }

            _nextTick = nowTick == long.MaxValue ? _nextTick : nowTick + 1;
        }

        private static long CeilingTick(long ticks, long resolutionTicks)
            => ticks >= long.MaxValue - resolutionTicks ? long.MaxValue / resolutionTicks : (ticks + resolutionTicks - 1) / resolutionTicks;
    }
}
