Console.WriteLine("not built yet");
return 1;
