/// The planner and executor of a key store decommission.
public enum DecommissionModule {}
