(** ll:sampling, the variance bound, finite form: with rows in the unit ball,
    E‖Φ̂ − Φ‖² = Σ_I P(I) mean_k (Φ̂_I(x_k) − Φ(x_k))² ≤ a² D_X² / q,
    the expectation being the finite sum over all m^q outcomes (Sampling.v). *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling.
Open Scope R_scope.

(** Σ_{k} f(J_k) over the draws of an outcome. *)
Fixpoint lsum (f : nat -> R) (J : list nat) : R :=
  match J with nil => 0 | i :: J' => f i + lsum f J' end.

Lemma esum_in q m g h :
  (forall J, (forall x, In x J -> (x < m)%nat) -> length J = q -> g J = h J) ->
  esum q m g = esum q m h.
Proof.
  revert g h. induction q as [|q IH]; intros g h H; simpl.
  - apply H; [intros x []|reflexivity].
  - apply sum_ext. intros i Hi. apply IH. intros J HJ HL. apply H.
    + intros x [<-|Hx]; [exact Hi|apply HJ, Hx].
    + simpl. rewrite HL. reflexivity.
Qed.

Lemma esum_sum q m n f :
  esum q m (fun J => sum n (fun k => f J k)) = sum n (fun k => esum q m (fun J => f J k)).
Proof.
  revert f. induction q as [|q IH]; intros f; simpl; [reflexivity|].
  rewrite (sum_ext m _ (fun i => sum n (fun k => esum q m (fun J => f (i :: J) k))))
    by (intros; apply IH).
  apply sum_swap.
Qed.

Lemma esum_mean q m N f :
  esum q m (fun J => mean N (fun k => f J k)) = mean N (fun k => esum q m (fun J => f J k)).
Proof.
  unfold mean, Rdiv.
  rewrite (esum_ext q m _ (fun J => / INR N * sum N (fun k => f J k))) by (intros; ring).
  rewrite esum_scal, esum_sum. ring.
Qed.

(** Independent draws: the sum of q centred draws has mean 0 and second moment q V. *)
Lemma lsum_mean0 q m p Y :
  sum m p = 1 -> sum m (fun i => p i * Y i) = 0 ->
  esum q m (fun J => prob p J * lsum Y J) = 0.
Proof.
  intros Hp HY. induction q as [|q IH]; simpl; [ring|].
  rewrite (sum_ext m _ (fun i => p i * Y i * 1 + p i * 0));
    [rewrite sum_plus, !sum_scal_r, HY; ring|].
  intros i _.
  rewrite (esum_ext q m _ (fun J => (p i * Y i) * prob p J + p i * (prob p J * lsum Y J)))
    by (intros; simpl; ring).
  rewrite esum_plus, !esum_scal, prob_total, IH by exact Hp. reflexivity.
Qed.

Lemma lsum_second q m p Y :
  sum m p = 1 -> sum m (fun i => p i * Y i) = 0 ->
  esum q m (fun J => prob p J * lsum Y J ^ 2) = INR q * sum m (fun i => p i * Y i ^ 2).
Proof.
  intros Hp HY. induction q as [|q IH]; simpl esum; [simpl; ring|].
  rewrite (sum_ext m _ (fun i => p i * Y i ^ 2 + p i * (INR q * sum m (fun j => p j * Y j ^ 2)))).
  - rewrite sum_plus, sum_scal_r, Hp, S_INR. ring.
  - intros i _.
    rewrite (esum_ext q m _ (fun J => (p i * Y i ^ 2) * prob p J
                                      + (2 * p i * Y i) * (prob p J * lsum Y J)
                                      + p i * (prob p J * lsum Y J ^ 2)))
      by (intros; simpl; ring).
    rewrite !esum_plus, !esum_scal, prob_total, lsum_mean0, IH by assumption. ring.
Qed.

Lemma sum_cnt_weighted m J (Z : nat -> R) :
  (forall x, In x J -> (x < m)%nat) -> sum m (fun i => INR (cnt i J) * Z i) = lsum Z J.
Proof.
  induction J as [|x J IH]; intros H.
  - simpl. rewrite (sum_ext m _ (fun _ => 0)) by (intros; simpl; ring). apply sum_zero.
  - rewrite (sum_ext m _ (fun i => (if Nat.eqb i x then Z x else 0) + INR (cnt i J) * Z i)).
    + rewrite sum_plus, sum_point by (apply H; left; reflexivity).
      rewrite IH by (intros; apply H; right; assumption). reflexivity.
    + intros i _. rewrite cnt_cons. destruct (Nat.eqb_spec i x); [subst|]; ring.
Qed.

Lemma lsum_minus_const Z c J : lsum (fun i => Z i - c) J = lsum Z J - INR (length J) * c.
Proof.
  induction J as [|x J IH]; simpl lsum; [simpl; ring|]. rewrite IH. simpl length.
  rewrite S_INR. ring.
Qed.

Lemma sgn_sq z : sgn z ^ 2 <= 1.
Proof. unfold sgn. destruct (Rlt_dec 0 z); [lra|]. destruct (Rlt_dec z 0); lra. Qed.

Lemma sampling_variance :
  forall (N d m q : nat) (X : nat -> nat -> R) (DX : R) (W : nat -> nat -> R) (th : nat -> R),
    data_scale N d X DX ->
    in_ball d m W ->
    0 < l1 m th ->
    (0 < q)%nat ->
    expect m q (mass_prob m th) (fun J => mean N (fun k => (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2)) <= DX ^ 2 * l1 m th ^ 2 / INR q.
Proof.
  intros N d m q X DX W th HX HW Ha Hq0.
  assert (Hq : 0 < INR q) by (apply lt_0_INR; exact Hq0).
  set (a := l1 m th) in *.
  set (p := mass_prob m th).
  assert (Hp : sum m p = 1).
  { unfold p, mass_prob, Rdiv. rewrite sum_scal_r. fold (l1 m th). fold a. field. lra. }
  assert (Hp0 : forall i, 0 <= p i).
  { intros i. unfold p, mass_prob, Rdiv. apply Rmult_le_pos; [apply Rabs_pos|].
    left. apply Rinv_0_lt_compat. exact Ha. }
  (* per sample point x: E (Φ̂(x) − Φ(x))² ≤ (a²/q) Σ_i p_i ρ(w_iᵀx)² *)
  assert (Hx : forall x,
    esum q m (fun J => prob p J * (Phi d m W (maurey m q th J) x - Phi d m W th x) ^ 2)
    <= a ^ 2 / INR q * sum m (fun i => p i * relu (dot d (W i) x) ^ 2)).
  { intros x.
    set (c := Phi d m W th x).
    set (Z := fun i => a * sgn (th i) * relu (dot d (W i) x)).
    set (Y := fun i => Z i - c).
    assert (HZ : sum m (fun i => p i * Z i) = c).
    { unfold c, Phi, Z, p, mass_prob. apply sum_ext. intros i _. fold a.
      rewrite <- (sgn_abs (th i)) at 3. field. lra. }
    assert (HY : sum m (fun i => p i * Y i) = 0).
    { unfold Y. rewrite (sum_ext m _ (fun i => p i * Z i - p i * c)) by (intros; ring).
      rewrite sum_minus, sum_scal_r, Hp, HZ. ring. }
    rewrite (esum_in q m _ (fun J => / INR q ^ 2 * (prob p J * lsum Y J ^ 2))).
    - rewrite esum_scal, lsum_second by assumption.
      assert (HV : sum m (fun i => p i * Y i ^ 2) <= sum m (fun i => p i * Z i ^ 2)).
      { unfold Y.
        rewrite (sum_ext m _ (fun i => p i * Z i ^ 2 + (-2 * c) * (p i * Z i) + c ^ 2 * p i))
          by (intros; ring).
        rewrite !sum_plus, !sum_scal_l, HZ, Hp. nra. }
      assert (HZ2 : sum m (fun i => p i * Z i ^ 2)
                    <= a ^ 2 * sum m (fun i => p i * relu (dot d (W i) x) ^ 2)).
      { rewrite <- sum_scal_l. apply sum_le. intros i _. unfold Z.
        pose proof (sgn_sq (th i)). pose proof (Hp0 i).
        pose proof (pow2_ge_0 (relu (dot d (W i) x))). pose proof (pow2_ge_0 a).
        replace (p i * (a * sgn (th i) * relu (dot d (W i) x)) ^ 2)
          with (a ^ 2 * (p i * relu (dot d (W i) x) ^ 2) * sgn (th i) ^ 2) by ring.
        assert (HA : 0 <= a ^ 2 * (p i * relu (dot d (W i) x) ^ 2))
          by (apply Rmult_le_pos; [|apply Rmult_le_pos]; assumption).
        rewrite <- (Rmult_1_r (a ^ 2 * (p i * relu (dot d (W i) x) ^ 2))) at 2.
        apply Rmult_le_compat_l; assumption. }
      replace (/ INR q ^ 2 * (INR q * sum m (fun i => p i * Y i ^ 2)))
        with (sum m (fun i => p i * Y i ^ 2) / INR q) by (field; lra).
      replace (a ^ 2 / INR q * sum m (fun i => p i * relu (dot d (W i) x) ^ 2))
        with (a ^ 2 * sum m (fun i => p i * relu (dot d (W i) x) ^ 2) / INR q) by (field; lra).
      unfold Rdiv. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; exact Hq|]. lra.
    - intros J HJ HL.
      assert (E0 : Phi d m W (maurey m q th J) x
                   = sum m (fun i => INR (cnt i J) * Z i) * / INR q).
      { unfold Phi, maurey. rewrite <- sum_scal_r. apply sum_ext. intros i _.
        unfold Z. fold a. field. lra. }
      assert (E : Phi d m W (maurey m q th J) x - c = lsum Y J / INR q).
      { unfold Y. rewrite lsum_minus_const, HL, <- (sum_cnt_weighted m J Z HJ), E0.
        field. lra. }
      rewrite E. field. lra. }
  (* average over the sample, then Σ_i p_i mean ρ² ≤ D_X² *)
  unfold expect.
  rewrite (esum_ext q m _ (fun J => mean N (fun k => prob p J *
             (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2)))
    by (intros; rewrite mean_scal; reflexivity).
  rewrite esum_mean.
  eapply Rle_trans; [apply mean_le; intros k _; apply Hx|].
  rewrite mean_scal, mean_sum.
  assert (Hs : sum m (fun i => mean N (fun k => p i * relu (dot d (W i) (X k)) ^ 2)) <= DX ^ 2).
  { rewrite <- (Rmult_1_r (DX ^ 2)), <- Hp, <- sum_scal_l. apply sum_le. intros i Hi.
    rewrite mean_scal, Rmult_comm. apply Rmult_le_compat_r; [apply Hp0|].
    destruct (relu_lipschitz N d X DX (W i) (W i) (W i) HX (HW i Hi)) as [_ H2]. exact H2. }
  assert (Ha2 : 0 <= a ^ 2 / INR q).
  { unfold Rdiv. apply Rmult_le_pos; [apply pow2_ge_0|left; apply Rinv_0_lt_compat; exact Hq]. }
  eapply Rle_trans; [apply Rmult_le_compat_l; [exact Ha2|exact Hs]|].
  right. field. lra.
Qed.

(** Mass, support, unbiasedness and variance together (GoodDraw.v adds the good draw). *)
Lemma sampling_moments :
  forall (N d m q : nat) (X : nat -> nat -> R) (DX : R) (W : nat -> nat -> R) (th : nat -> R) (I : list nat) (j : nat),
    data_scale N d X DX ->
    in_ball d m W ->
    0 < l1 m th ->
    length I = q ->
    (forall i, In i I -> (i < m)%nat /\ th i <> 0) ->
    (j < m)%nat ->
    (0 < q)%nat ->
    (expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j = 0) /\ (expect m q (mass_prob m th) (fun J => mean N (fun k => (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2)) <= (DX ^ 2) * (l1 m th ^ 2) / INR q) /\ (l0 m (maurey m q th I) <= INR q) /\ (l1 m (maurey m q th I) = l1 m th).
Proof.
  intros N d m q X DX W th I j HX HW Ha Hlen HI Hj Hq.
  destruct (sampling m q th I j Ha Hlen HI Hj Hq) as [Hb [H0 H1]].
  split; [exact Hb|split; [apply sampling_variance; assumption|split; assumption]].
Qed.
