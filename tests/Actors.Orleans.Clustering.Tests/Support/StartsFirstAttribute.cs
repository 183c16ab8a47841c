namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>Marks a test class that takes most of this assembly's time, so that <see cref="StartsFirstOrderer"/> starts it first.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StartsFirstAttribute : Attribute;
