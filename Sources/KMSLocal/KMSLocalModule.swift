/// The local KMS emulator.
public enum KMSLocalModule {}
