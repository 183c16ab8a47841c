namespace Actors.Invocation;

/// <summary>
/// What every grain reference is, whatever produces it (Orleans' <c>GrainReference</c> role): a grain interface bound to
/// a <see cref="Actors.GrainId"/> whose calls become <see cref="GrainCallRequest"/>s for an <see cref="IGrainCallInvoker"/>.
/// </summary>
/// <remarks>
/// References are immutable and cheap; two references are equal when their grain id and interface are. The copy rule
/// passes them by reference, and <see cref="GrainExtensions.GetGrainId"/> reads the id through this
/// interface. Today references are runtime proxies; generated references will implement the same interface.
/// </remarks>
public interface IGrainReference
{
    /// <summary>The grain called (for a client-made reference the type half is provisional; see <see cref="GrainTypeNames.ForInterface"/>).</summary>
    GrainId GrainId { get; }

    /// <summary>The grain interface the reference implements.</summary>
    Type InterfaceType { get; }
}
