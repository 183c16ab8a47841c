namespace Actors.Runtime;

/// <summary>
/// An activation that tracks call-chain reentrant sections (Orleans' <c>ICallChainReentrantGrainContext</c>): while a
/// section is open, requests carrying its reentrancy id may start although the activation is busy. Infrastructure:
/// <see cref="RequestContext.AllowCallChainReentrancy"/> calls it on the current activation.
/// </summary>
public interface ICallChainReentrantGrainContext
{
    /// <summary>Opens (one more level of) the section <paramref name="reentrancyId"/>.</summary>
    void OnEnterReentrantSection(Guid reentrancyId);

    /// <summary>Closes one level of the section <paramref name="reentrancyId"/>.</summary>
    void OnExitReentrantSection(Guid reentrancyId);
}
