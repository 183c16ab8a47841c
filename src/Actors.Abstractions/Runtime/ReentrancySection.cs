namespace Actors.Runtime;

/// <summary>
/// A call-chain reentrancy section opened by <see cref="RequestContext.AllowCallChainReentrancy"/> or suppressed by
/// <see cref="RequestContext.SuppressCallChainReentrancy"/>; disposing it restores the previous reentrancy id and closes
/// the section on the activation that opened it. Dispose it in the same turn flow (a <c>using</c>).
/// </summary>
public readonly struct ReentrancySection : IDisposable
{
    private readonly Guid _original;
    private readonly Guid _current;
    private readonly ICallChainReentrantGrainContext? _grain;

    internal ReentrancySection(Guid original, Guid current)
    {
        _original = original;
        _current = current;
        if (current != original)
        {
            RequestContext.ReentrancyId = current;
        }

        if (current != Guid.Empty)
        {
            _grain = RuntimeContext.Current as ICallChainReentrantGrainContext;
            _grain?.OnEnterReentrantSection(current);
        }
    }

    /// <summary>Closes the section and restores the previous reentrancy id.</summary>
    public void Dispose()
    {
        if (_current != Guid.Empty)
        {
            _grain?.OnExitReentrantSection(_current);
        }

        if (_current != _original)
        {
            RequestContext.ReentrancyId = _original;
        }
    }
}
