(** ll:sampling, the good draw (Lipschitz loss), finite form: among the outcomes of
    positive probability, the one with the smallest F (found by [best]) has
    F(W, θ̂) ≤ F(W, θ) + L a D_X/√q, because the smallest value is at most the average
    over outcomes, and the average is bounded by the variance bound (Variance.v). *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model RL.Statements RL.Sampling RL.Variance.
Open Scope R_scope.

(** The index i < n with [ok i] and the smallest [f i] (None if no index is ok). *)
Fixpoint argmin (n : nat) (ok : nat -> bool) (f : nat -> R) : option nat :=
  match n with
  | O => None
  | S k =>
      match argmin k ok f with
      | None => if ok k then Some k else None
      | Some b => if ok k then (if Rle_dec (f k) (f b) then Some k else Some b) else Some b
      end
  end.

Lemma argmin_none n ok f : argmin n ok f = None -> forall j, (j < n)%nat -> ok j = false.
Proof.
  induction n as [|n IH]; intros H j Hj; [lia|]. simpl in H.
  destruct (argmin n ok f) eqn:E.
  - destruct (ok n); [destruct (Rle_dec (f n) (f n0))|]; discriminate.
  - destruct (ok n) eqn:On; [discriminate|].
    destruct (Nat.eq_dec j n); [subst; exact On|]. apply IH; [reflexivity|lia].
Qed.

Lemma argmin_spec n ok f b :
  argmin n ok f = Some b ->
  (b < n)%nat /\ ok b = true /\ forall i, (i < n)%nat -> ok i = true -> f b <= f i.
Proof.
  revert b. induction n as [|n IH]; intros b H; simpl in H; [discriminate|].
  destruct (argmin n ok f) as [c|] eqn:E.
  - destruct (IH c eq_refl) as [Hc [Hok Hmin]].
    destruct (ok n) eqn:On.
    + destruct (Rle_dec (f n) (f c)) as [Hle|Hle]; injection H as <-.
      * split; [lia|split; [exact On|]]. intros i Hi Oi.
        destruct (Nat.eq_dec i n); [subst; lra|]. specialize (Hmin i ltac:(lia) Oi). lra.
      * split; [lia|split; [exact Hok|]]. intros i Hi Oi.
        destruct (Nat.eq_dec i n); [subst; lra|]. apply Hmin; [lia|exact Oi].
    + injection H as <-. split; [lia|split; [exact Hok|]]. intros i Hi Oi.
      destruct (Nat.eq_dec i n); [subst; congruence|]. apply Hmin; [lia|exact Oi].
  - destruct (ok n) eqn:On; [|discriminate]. injection H as <-.
    split; [lia|split; [exact On|]]. intros i Hi Oi.
    destruct (Nat.eq_dec i n); [subst; lra|].
    rewrite (argmin_none n ok f E i) in Oi by lia. discriminate.
Qed.

Lemma argmin_some n ok f i : (i < n)%nat -> ok i = true -> exists b, argmin n ok f = Some b.
Proof.
  revert i. induction n as [|n IH]; intros i Hi Oi; [lia|]. simpl.
  destruct (argmin n ok f) as [c|] eqn:E.
  - destruct (ok n); [destruct (Rle_dec (f n) (f c))|]; eauto.
  - destruct (Nat.eq_dec i n) as [->|Hin]; [rewrite Oi; eauto|].
    destruct (IH i ltac:(lia) Oi) as [b Hb]. congruence.
Qed.

(** The outcome of q draws minimizing [score] among draws with [ok] (built draw by draw). *)
Fixpoint best (q m : nat) (ok : nat -> bool) (score : list nat -> R) : list nat :=
  match q with
  | O => nil
  | S q' =>
      let cand := fun i => i :: best q' m ok (fun J => score (i :: J)) in
      match argmin m ok (fun i => score (cand i)) with
      | Some b => cand b
      | None => cand 0%nat
      end
  end.

Lemma best_outcome q m ok score i0 :
  (i0 < m)%nat -> ok i0 = true ->
  length (best q m ok score) = q /\
  forall x, In x (best q m ok score) -> (x < m)%nat /\ ok x = true.
Proof.
  intros Hi0 Oi0. revert score. induction q as [|q IH]; intros score; simpl; [split; [reflexivity|intros x []]|].
  destruct (argmin_some m ok (fun i => score (i :: best q m ok (fun J => score (i :: J)))) i0 Hi0 Oi0)
    as [b Hb].
  rewrite Hb. destruct (argmin_spec _ _ _ _ Hb) as [Hbm [Ob _]].
  destruct (IH (fun J => score (b :: J))) as [HL HI].
  split; [simpl; rewrite HL; reflexivity|].
  intros x [<-|Hx]; [split; assumption|apply HI, Hx].
Qed.

Lemma esum_nonneg q m g : (forall J, 0 <= g J) -> 0 <= esum q m g.
Proof.
  revert g. induction q as [|q IH]; intros g H; simpl; [apply H|].
  apply sum_nonneg. intros i _. apply IH. intros J. apply H.
Qed.

Lemma prob_nonneg p J : (forall i, 0 <= p i) -> 0 <= prob p J.
Proof. intros H. induction J; simpl; [lra|]. apply Rmult_le_pos; auto. Qed.

(** The minimum over ok outcomes is at most the average (weights vanish off ok). *)
Lemma best_below_average q m ok p score :
  sum m p = 1 -> (forall i, 0 <= p i) -> (forall i, ok i = false -> p i = 0) ->
  (exists i0, (i0 < m)%nat /\ ok i0 = true) ->
  score (best q m ok score) <= esum q m (fun J => prob p J * score J).
Proof.
  intros Hp Hp0 Hz [i0 [Hi0 Oi0]]. revert score.
  induction q as [|q IH]; intros score; simpl; [lra|].
  destruct (argmin_some m ok (fun i => score (i :: best q m ok (fun J => score (i :: J))))
              i0 Hi0 Oi0) as [b Hb].
  rewrite Hb. destruct (argmin_spec _ _ _ _ Hb) as [_ [_ Hmin]].
  set (cand := fun i => i :: best q m ok (fun J => score (i :: J))).
  change (b :: best q m ok (fun J => score (b :: J))) with (cand b).
  apply Rle_trans with (sum m (fun i => p i * score (cand i))).
  - rewrite <- (Rmult_1_l (score (cand b))), <- Hp, <- sum_scal_r. apply sum_le.
    intros i Hi. destruct (ok i) eqn:Oi.
    + apply Rmult_le_compat_l; [apply Hp0|]. apply Hmin; assumption.
    + rewrite (Hz i Oi). lra.
  - apply sum_le. intros i _.
    rewrite (esum_ext q m _ (fun J => p i * (prob p J * score (i :: J)))) by (intros; simpl; ring).
    rewrite esum_scal. apply Rmult_le_compat_l; [apply Hp0|].
    exact (IH (fun J => score (i :: J))).
Qed.

Definition supp (th : nat -> R) (i : nat) : bool := if Req_EM_T (th i) 0 then false else true.

(** The draw of smallest F among the outcomes of positive probability. *)
Definition good_draw (N d m q : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R)
  (kappa : R) (W : nat -> nat -> R) (th : nat -> R) : list nat :=
  best q m (supp th) (fun J => Fobj N d m X Y ell kappa W (maurey m q th J)).

Lemma esum_le q m g h : (forall J, g J <= h J) -> esum q m g <= esum q m h.
Proof.
  revert g h. induction q as [|q IH]; intros g h H; simpl; [apply H|].
  apply sum_le. intros i _. apply IH. intros J. apply H.
Qed.

(** Outcomes of zero probability do not count. *)
Lemma esum_support q m p (good : nat -> Prop) g h :
  (forall i, ~ good i -> p i = 0) -> (forall i, good i \/ ~ good i) ->
  (forall J, (forall x, In x J -> (x < m)%nat /\ good x) -> length J = q -> g J = h J) ->
  esum q m (fun J => prob p J * g J) = esum q m (fun J => prob p J * h J).
Proof.
  intros Hz Hdec. revert g h. induction q as [|q IH]; intros g h H; simpl.
  - rewrite H; [reflexivity|intros x []|reflexivity].
  - apply sum_ext. intros i Hi.
    transitivity (p i * esum q m (fun J => prob p J * g (i :: J))).
    { rewrite <- esum_scal. apply esum_ext. intros; simpl; ring. }
    transitivity (p i * esum q m (fun J => prob p J * h (i :: J))).
    2: { rewrite <- esum_scal. apply esum_ext. intros; simpl; ring. }
    destruct (Hdec i) as [Gi|Gi]; [|rewrite (Hz i Gi); ring].
    f_equal. apply (IH (fun J => g (i :: J)) (fun J => h (i :: J))).
    intros J HJ HL. apply H; [|simpl; rewrite HL; reflexivity].
    intros x [<-|Hx]; [split; assumption|apply HJ, Hx].
Qed.

(** Jensen for a probability-weighted sum over outcomes: (E G)² ≤ E G². *)
Lemma esum_jensen q m p G :
  sum m p = 1 -> (forall i, 0 <= p i) ->
  esum q m (fun J => prob p J * G J) ^ 2 <= esum q m (fun J => prob p J * G J ^ 2).
Proof.
  intros Hp Hp0. set (c := esum q m (fun J => prob p J * G J)).
  assert (H0 : 0 <= esum q m (fun J => prob p J * (G J - c) ^ 2)).
  { apply esum_nonneg. intros J. apply Rmult_le_pos; [apply prob_nonneg, Hp0|apply pow2_ge_0]. }
  rewrite (esum_ext q m _ (fun J => prob p J * G J ^ 2 + (-2 * c) * (prob p J * G J)
                                   + c ^ 2 * prob p J)) in H0 by (intros; ring).
  rewrite !esum_plus, !esum_scal, prob_total in H0 by exact Hp. fold c in H0. nra.
Qed.

Lemma l1_pos_exists m th : 0 < l1 m th -> exists i, (i < m)%nat /\ th i <> 0.
Proof.
  induction m as [|m IH]; intros H; unfold l1 in H; simpl in H; [lra|].
  destruct (Req_EM_T (th m) 0) as [E|E]; [|exists m; split; [lia|exact E]].
  rewrite E, Rabs_R0, Rplus_0_r in H. destruct (IH H) as [i [Hi Ei]].
  exists i. split; [lia|exact Ei].
Qed.

Lemma good_draw_bound N d m q X Y ell L DX kappa W th :
  lipschitz_loss ell L -> data_scale N d X DX -> in_ball d m W ->
  0 < l1 m th -> (0 < q)%nat ->
  Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th))
  <= DX * L * l1 m th / sqrt (INR q) + Fobj N d m X Y ell kappa W th.
Proof.
  intros HL HX HW Ha Hq0.
  pose proof (lipschitz_nonneg ell L HL) as HL0.
  assert (Hq : 0 < INR q) by (apply lt_0_INR; exact Hq0).
  set (a := l1 m th) in *.
  set (p := mass_prob m th).
  set (score := fun J => Fobj N d m X Y ell kappa W (maurey m q th J)).
  assert (Hp : sum m p = 1).
  { unfold p, mass_prob, Rdiv. rewrite sum_scal_r. fold (l1 m th). fold a. field. lra. }
  assert (Hp0 : forall i, 0 <= p i).
  { intros i. unfold p, mass_prob, Rdiv. apply Rmult_le_pos; [apply Rabs_pos|].
    left. apply Rinv_0_lt_compat. exact Ha. }
  assert (Hz : forall i, ~ th i <> 0 -> p i = 0).
  { intros i Hi. unfold p, mass_prob. destruct (Req_EM_T (th i) 0) as [E|E]; [|contradiction].
    rewrite E, Rabs_R0. unfold Rdiv. ring. }
  assert (Hdec : forall i, th i <> 0 \/ ~ th i <> 0).
  { intros i. destruct (Req_EM_T (th i) 0); [right; intros C; contradiction|left; assumption]. }
  destruct (l1_pos_exists m th Ha) as [i0 [Hi0 Ei0]].
  (* 1. the best outcome is below the average *)
  assert (Hbest : score (good_draw N d m q X Y ell kappa W th)
                  <= esum q m (fun J => prob p J * score J)).
  { apply best_below_average; [exact Hp|exact Hp0| |].
    - intros i Si. apply Hz. unfold supp in Si. destruct (Req_EM_T (th i) 0); [|discriminate].
      intros C; contradiction.
    - exists i0. split; [exact Hi0|]. unfold supp. destruct (Req_EM_T (th i0) 0); tauto. }
  (* 2. on outcomes of positive probability the penalty is κ a *)
  set (G := fun J => mean N (fun k => Rabs (Phi d m W (maurey m q th J) (X k)
                                              - Phi d m W th (X k)))).
  assert (Hpt : esum q m (fun J => prob p J * score J)
                = esum q m (fun J => prob p J * (risk N d m X Y ell W (maurey m q th J)
                                                 + kappa * a))).
  { apply (esum_support q m p (fun i => th i <> 0)); [exact Hz|exact Hdec|].
    intros J HJ HLJ. unfold score, Fobj. f_equal. f_equal.
    destruct (sampling m q th J i0 Ha HLJ HJ Hi0 Hq0) as [_ [_ H1]]. exact H1. }
  (* 3. risk: E R(θ̂) ≤ R(θ) + L E G *)
  assert (HR : esum q m (fun J => prob p J * (risk N d m X Y ell W (maurey m q th J)
                                              + kappa * a))
               <= risk N d m X Y ell W th + kappa * a + L * esum q m (fun J => prob p J * G J)).
  { set (c := risk N d m X Y ell W th + kappa * a).
    assert (E1 : esum q m (fun J => prob p J * (risk N d m X Y ell W (maurey m q th J)
                                                + kappa * a))
                 <= esum q m (fun J => c * prob p J + L * (prob p J * G J))).
    { apply esum_le. intros J.
      pose proof (prob_nonneg p J Hp0) as HPJ.
      pose proof (risk_lip N Y ell L (fun k => Phi d m W (maurey m q th J) (X k))
                    (fun k => Phi d m W th (X k)) HL) as Hl.
      cbv beta in Hl. fold (G J) in Hl. unfold c, risk.
      assert (prob p J * (mean N (fun k => ell (Y k) (Phi d m W (maurey m q th J) (X k)))
                          - mean N (fun k => ell (Y k) (Phi d m W th (X k))))
              <= prob p J * (L * G J)) by (apply Rmult_le_compat_l; assumption).
      nra. }
    rewrite esum_plus, !esum_scal, prob_total in E1 by exact Hp. lra. }
  (* 4. E G ≤ a D_X/√q by Jensen and the variance bound *)
  assert (HG : esum q m (fun J => prob p J * G J) <= DX * a / sqrt (INR q)).
  { assert (HG0 : 0 <= esum q m (fun J => prob p J * G J)).
    { apply esum_nonneg. intros J. apply Rmult_le_pos; [apply prob_nonneg, Hp0|].
      apply mean_nonneg. intros; apply Rabs_pos. }
    destruct HX as [HD Hq2] eqn:EX.
    assert (Hs : 0 < sqrt (INR q)) by (apply sqrt_lt_R0; exact Hq).
    apply sq_le_sq_nonneg; [unfold Rdiv; apply Rmult_le_pos;
      [apply Rmult_le_pos; [exact HD|lra]|left; apply Rinv_0_lt_compat; exact Hs]|].
    eapply Rle_trans; [apply esum_jensen; assumption|].
    eapply Rle_trans.
    - apply esum_le. intros J. apply Rmult_le_compat_l; [apply prob_nonneg, Hp0|].
      unfold G. eapply Rle_trans; [apply mean_sq|].
      apply mean_le. intros k _. rewrite pow2_abs. apply Rle_refl.
    - pose proof (sampling_variance N d m q X DX W th HX HW Ha Hq0) as HV.
      unfold expect in HV. fold a p in HV.
      eapply Rle_trans; [exact HV|].
      assert (Hsq : sqrt (INR q) ^ 2 = INR q)
        by (simpl; rewrite Rmult_1_r; apply sqrt_sqrt; lra).
      right. replace ((DX * a / sqrt (INR q)) ^ 2) with (DX ^ 2 * a ^ 2 / sqrt (INR q) ^ 2)
        by (field; lra).
      rewrite Hsq. reflexivity. }
  change (Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th)))
    with (score (good_draw N d m q X Y ell kappa W th)).
  unfold Fobj. fold a.
  assert (L * esum q m (fun J => prob p J * G J) <= L * (DX * a / sqrt (INR q)))
    by (apply Rmult_le_compat_l; assumption).
  replace (DX * L * a / sqrt (INR q)) with (L * (DX * a / sqrt (INR q))) by (unfold Rdiv; ring).
  lra.
Qed.

(** The kernel-checked form of ll:sampling. *)
Lemma sampling_all :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (L DX kappa : R) (q : nat) (W : nat -> nat -> R) (th : nat -> R) (I : list nat) (j : nat),
    lipschitz_loss ell L ->
    data_scale N d X DX ->
    in_ball d m W ->
    0 < l1 m th ->
    length I = q ->
    (forall i, In i I -> (i < m)%nat /\ th i <> 0) ->
    (j < m)%nat ->
    (0 < q)%nat ->
    ((Fobj N d m X Y ell kappa W (maurey m q th (good_draw N d m q X Y ell kappa W th)) <= DX * L * l1 m th / (sqrt (INR q)) + Fobj N d m X Y ell kappa W th) /\ (expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j = 0) /\ (expect m q (mass_prob m th) (fun J => mean N (fun k => (Phi d m W (maurey m q th J) (X k) - Phi d m W th (X k)) ^ 2)) <= (DX ^ 2) * (l1 m th ^ 2) / INR q) /\ (l0 m (maurey m q th I) <= INR q) /\ (l1 m (maurey m q th I) = l1 m th)) /\ (length (good_draw N d m q X Y ell kappa W th) = q /\ (forall i, In i (good_draw N d m q X Y ell kappa W th) -> (i < m)%nat /\ th i <> 0)).
Proof.
  intros N d m X Y ell L DX kappa q W th I j HL HX HW Ha Hlen HI Hj Hq.
  destruct (sampling_moments N d m q X DX W th I j HX HW Ha Hlen HI Hj Hq) as [Hb [Hv [H0 H1]]].
  destruct (l1_pos_exists m th Ha) as [i0 [Hi0 Ei0]].
  destruct (best_outcome q m (supp th) (fun J => Fobj N d m X Y ell kappa W (maurey m q th J))
              i0 Hi0) as [HLb HIb].
  { unfold supp. destruct (Req_EM_T (th i0) 0); [contradiction|reflexivity]. }
  split; [split; [apply good_draw_bound; assumption|repeat split; assumption]|].
  split; [exact HLb|]. intros i Hi. destruct (HIb i Hi) as [Hm Si]. split; [exact Hm|].
  unfold supp in Si. destruct (Req_EM_T (th i) 0); [discriminate|assumption].
Qed.
