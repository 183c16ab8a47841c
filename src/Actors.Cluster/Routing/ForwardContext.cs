namespace Actors.Cluster.Routing;

/// <summary>
/// Carries a forwarded call's hop count from the message handler to the router's first decision for it. The router takes
/// the count (later decisions in the same flow, such as the grain's own outgoing calls, start from zero).
/// </summary>
internal static class ForwardContext
{
    private static readonly AsyncLocal<Hops?> Current = new();

    /// <summary>Marks the calls made from here on in this flow as having travelled <paramref name="hops"/> silo hops.</summary>
    public static void Set(int hops) => Current.Value = new Hops(hops);

    /// <summary>The hop count of the call being routed (0 when it was not forwarded); reading consumes it.</summary>
    public static int Take()
    {
        Hops? hops = Current.Value;
        return hops is null ? 0 : Interlocked.Exchange(ref hops.Count, 0);
    }

    private sealed class Hops(int count)
    {
        public int Count = count;
    }
}
