namespace Actors.Serialization;

/// <summary>A value nests deeper than <see cref="SerializerBuilder.MaxDepth"/> objects: too deep to write or read without exhausting the stack.</summary>
[GenerateSerializer]
public sealed class MaxDepthExceededException : SerializerException
{
    /// <summary>Creates the exception.</summary>
    public MaxDepthExceededException(int maxDepth)
        : base($"The value nests more than {maxDepth} objects deep (SerializerBuilder.MaxDepth). Flatten the structure or raise the limit.")
    {
        MaxDepth = maxDepth;
    }

    /// <summary>The limit in force.</summary>
    [Id(0)]
    public int MaxDepth { get; }
}
