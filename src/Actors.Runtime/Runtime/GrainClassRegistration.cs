namespace Actors.Runtime;

/// <summary>A grain class registered with the silo (one service per class; duplicates are ignored).</summary>
internal sealed record GrainClassRegistration(Type GrainClass);
