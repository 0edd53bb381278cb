Console.WriteLine("rltrainer");
