namespace Actors.CodeGenerator.Emit;

/// <summary>Fully qualified names of the serializer API that generated code calls.</summary>
internal static class Names
{
    public const string Writer = "global::Actors.Serialization.Wire.Writer";
    public const string Reader = "global::Actors.Serialization.Wire.Reader";
    public const string Field = "global::Actors.Serialization.Wire.Field";
    public const string Provider = "global::Actors.Serialization.ICodecProvider";
    public const string CopyContext = "global::Actors.Serialization.Cloning.CopyContext";
    public const string Codecs = "global::Actors.Serialization.Codecs.";
    public const string Cloning = "global::Actors.Serialization.Cloning.";
    public const string SerializerException = "global::Actors.Serialization.SerializerException";
    public const string Type = "global::System.Type";
    public const string Exception = "global::System.Exception";
    public const string UnsafeAccessor = "global::System.Runtime.CompilerServices.UnsafeAccessor";
    public const string UnsafeAccessorKind = "global::System.Runtime.CompilerServices.UnsafeAccessorKind";
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"Actors.CodeGenerator\", \"1.0\")]";

    /// <summary>A C# string literal.</summary>
    public static string Literal(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>The namespace generated code for an assembly lives in.</summary>
    public static string Namespace(string? assemblyName)
    {
        char[] chars = (assemblyName ?? "Assembly").ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!char.IsLetterOrDigit(chars[i]))
            {
                chars[i] = '_';
            }
        }

        string name = new(chars);
        return "ActorsGenerated." + (char.IsDigit(name[0]) ? "_" + name : name);
    }
}
