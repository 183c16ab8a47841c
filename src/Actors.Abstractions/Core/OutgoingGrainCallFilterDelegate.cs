namespace Actors;

/// <summary>An outgoing call filter as a delegate.</summary>
public delegate Task OutgoingGrainCallFilterDelegate(IOutgoingGrainCallContext context);
