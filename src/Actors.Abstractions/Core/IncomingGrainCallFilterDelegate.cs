namespace Actors;

/// <summary>An incoming call filter as a delegate.</summary>
public delegate Task IncomingGrainCallFilterDelegate(IIncomingGrainCallContext context);
