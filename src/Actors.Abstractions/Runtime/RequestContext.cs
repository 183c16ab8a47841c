namespace Actors.Runtime;

/// <summary>
/// Key-value pairs that travel with grain calls (Orleans' <c>RequestContext</c>): what a caller sets here before a call
/// is visible to the called grain for the whole request, and to every call that request makes in turn, in-silo and
/// across the gateway in both directions. Changes made by the called grain do not flow back to the caller.
/// </summary>
/// <remarks>
/// The values belong to the current asynchronous flow (an <see cref="AsyncLocal{T}"/>): tasks started from it see
/// them, and a change made by a child flow is not seen by its parent. Values must be serializable by the silo's
/// serializer when the call leaves the process; in-silo calls apply the copy rule to them (immutable values are shared,
/// others are deep-copied). Keys are case-sensitive. Timer callbacks and reminder ticks start with an empty context.
/// </remarks>
public static class RequestContext
{
    /// <summary>The key under which the call-chain reentrancy id travels (Orleans' name).</summary>
    public const string CallChainReentrancyKey = "#CCR";

    private static readonly AsyncLocal<Dictionary<string, object>?> Current = new();

    /// <summary>
    /// The call chain's reentrancy id (<see cref="Guid.Empty"/>: none): calls carrying it may enter activations that
    /// opened a section with it (see <see cref="AllowCallChainReentrancy"/>).
    /// </summary>
    public static Guid ReentrancyId
    {
        get => Get(CallChainReentrancyKey) is Guid id ? id : Guid.Empty;
        set
        {
            if (value == Guid.Empty)
            {
                Remove(CallChainReentrancyKey);
            }
            else
            {
                Set(CallChainReentrancyKey, value);
            }
        }
    }

    /// <summary>
    /// Lets the calls this flow makes, and the calls those make in turn, re-enter the current (non-reentrant)
    /// activation while the returned section is open (Orleans' call-chain reentrancy, opt-in since Orleans 7): a grain
    /// that calls another which calls back does not deadlock. Dispose the section in the same turn (<c>using</c>).
    /// </summary>
    public static ReentrancySection AllowCallChainReentrancy()
    {
        Guid original = ReentrancyId;
        return new ReentrancySection(original, original == Guid.Empty ? Guid.NewGuid() : original);
    }

    /// <summary>Stops the calls this flow makes from carrying the call chain's reentrancy id until the section is disposed.</summary>
    public static ReentrancySection SuppressCallChainReentrancy() => new(ReentrancyId, Guid.Empty);

    /// <summary>The keys set in the current flow.</summary>
    public static IEnumerable<string> Keys => Current.Value?.Keys.ToArray() ?? [];

    /// <summary>The entries set in the current flow.</summary>
    public static IEnumerable<KeyValuePair<string, object>> Entries => Current.Value?.ToArray() ?? [];

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public static object? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Current.Value is { } values && values.TryGetValue(key, out object? value) ? value : null;
    }

    /// <summary>Sets <paramref name="key"/> for the current flow and the calls it makes.</summary>
    public static void Set(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        Dictionary<string, object> values = Current.Value is { } existing ? new(existing, StringComparer.Ordinal) : new(StringComparer.Ordinal);
        values[key] = value;
        Current.Value = values;
    }

    /// <summary>Removes <paramref name="key"/>; false when it was not set.</summary>
    public static bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Current.Value is not { } existing || !existing.ContainsKey(key))
        {
            return false;
        }

        var values = new Dictionary<string, object>(existing, StringComparer.Ordinal);
        values.Remove(key);
        Current.Value = values.Count == 0 ? null : values;
        return true;
    }

    /// <summary>Removes every key from the current flow.</summary>
    public static void Clear() => Current.Value = null;

    /// <summary>
    /// Infrastructure: the entries of the current flow as an immutable snapshot, or null when there are none. A call
    /// path captures it when a call is made (after outgoing filters ran) and carries it with the request.
    /// </summary>
    public static IReadOnlyDictionary<string, object>? Export() => Current.Value;

    /// <summary>
    /// Infrastructure: replaces the current flow's entries with <paramref name="values"/> (null or empty: none). The
    /// runtime calls it when a request starts, so the grain sees exactly what its caller sent.
    /// </summary>
    public static void Import(IReadOnlyDictionary<string, object>? values)
        => Current.Value = values is null || values.Count == 0 ? null : new Dictionary<string, object>(values, StringComparer.Ordinal);
}
