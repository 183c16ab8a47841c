using Actors.Runtime;

namespace Actors.Invocation;

/// <summary>What an outgoing filter sees as the called grain: the target's identity and interface (not a callable reference).</summary>
internal sealed record OutgoingCallTarget(GrainId GrainId, Type InterfaceType) : IGrainReference, IAddressable;
